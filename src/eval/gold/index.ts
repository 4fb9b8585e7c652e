export { alignToGold, argmedRelations, GOLD_THRESHOLD, type GoldAgreement, goldAgreement } from './align-to-gold.js';
export { type GoldFigures, type GoldSummary, summariseGold } from './summarise-gold.js';
