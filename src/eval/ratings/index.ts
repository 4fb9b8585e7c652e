export { krippendorffAlphaInterval } from './krippendorff-alpha.js';
export { RATING_DIMENSIONS, type RatingDimension } from './rating-dimensions.js';
export { type RatingUnit, ratingUnits, unitToken } from './rating-units.js';
export { parseRatingsCsv, RATING_COLUMNS, type RatingProblem, ratingsCsv, ratingsJsonl } from './ratings-files.js';
export { type RatePageInput, renderRatePage, renderRaterPrompt } from './render-rate-page.js';
export { type RatingsSummary, summariseRatings } from './summarise-ratings.js';
