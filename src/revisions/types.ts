/**
 * Contracts of contested cases: what a clinician may contribute to a case's argument graph (checked by zod
 * at the edge, then against the graph and the schemes here), and what a revision looks like to callers.
 */
import { z } from 'zod';
import { cleanString, MAX_TEXT } from '../../agents/case.js';
import type { DeliberationGraph, DeliberationStatus, Label } from '../engine/types.js';

const Id = cleanString().trim().min(1).max(64);
/** Why a contribution is made, in the contributor's words; also the withdrawal's `?reason=`. */
export const ReasonSchema = cleanString()
  .trim()
  .min(1)
  .max(4000)
  .describe('Why, in the contributor’s words (kept in the audit trail)');

export const AttackTargetSchema = z
  .object({
    target: Id.describe('The id of the argument attacked (`a3`, `c1`, ...)'),
    question: Id.optional().describe("The critical question of the target's scheme this attack answers"),
  })
  .strict();

/** `POST /v1/cases/:id/arguments`: an argument of a known scheme that attacks existing arguments. */
export const ArgumentContributionSchema = z
  .object({
    scheme: Id.describe('A scheme id (GET /v1/schemes)'),
    option: cleanString()
      .trim()
      .min(1)
      .max(32)
      .optional()
      .describe('For a decision scheme: the option argued for'),
    premises: z
      .array(cleanString().trim().min(1).max(MAX_TEXT))
      .min(1)
      .max(32)
      .describe("The scheme's premises, instantiated, in the scheme's order"),
    conclusion: cleanString().trim().min(1).max(MAX_TEXT),
    text: cleanString()
      .trim()
      .min(1)
      .max(MAX_TEXT)
      .optional()
      .describe('One readable sentence (default: the conclusion)'),
    facts: z.array(Id).max(64).optional().describe('Ids of the case facts it rests on'),
    source: cleanString().trim().min(1).max(2000).optional().describe('A source or citation'),
    attacks: z.array(AttackTargetSchema).min(1).max(32),
    judgement: z
      .boolean()
      .default(false)
      .describe("The clinician's own judgement: not verified by the case's back-end (shown as such)"),
    reason: ReasonSchema,
  })
  .strict();
export type ArgumentContribution = z.output<typeof ArgumentContributionSchema>;

/** `POST /v1/cases/:id/facts`: a new fact, or a corrected one (same id). */
export const FactContributionSchema = z
  .object({
    fact: z
      .object({
        id: Id.optional().describe('An existing fact id to correct it; absent or new for a new fact'),
        text: cleanString().trim().min(1).max(MAX_TEXT),
        codes: z
          .array(cleanString().trim().min(1).max(128))
          .max(32)
          .optional()
          .describe('Concept codes; a new text keeps the old codes and source only if they are sent again'),
        source: cleanString().max(512).optional(),
      })
      .strict(),
    reason: ReasonSchema,
  })
  .strict();
export type FactContribution = z.output<typeof FactContributionSchema>;

/** What a contribution is, once the route has read it. */
export type Contribution =
  | { kind: 'argument'; argument: ArgumentContribution }
  | { kind: 'fact'; fact: FactContribution['fact'] }
  | { kind: 'withdrawal'; argument: string }
  | {
      /** A CDS Hooks override: the reason as the premise of an argument attacking the card's decision. */
      kind: 'feedback';
      argument: ArgumentContribution;
      /** `<patient>|<order>`, so the next hook call for them finds it. */
      subject: string;
    };

export type RevisionKind = 'deliberation' | Contribution['kind'];

/** Who contributes, why, and on which revision it is based (from `If-Match: "rev-N"`). */
export interface ContributionMeta {
  author: string;
  reason: string;
  basedOn?: number;
}

export interface LabelChange {
  argument: string;
  /** null: the argument did not exist before (or no longer exists after). */
  before: Label | null;
  after: Label | null;
}

/** A revision as the API lists it. */
export interface RevisionView {
  revision: number;
  kind: RevisionKind;
  author: string;
  reason?: string;
  at: string;
  /** What changed: the argument added (with its id), the fact before and after, the argument withdrawn. */
  change: Record<string, unknown>;
  status: DeliberationStatus;
  decision?: { option: string; argument: string };
  labelsChanged: LabelChange[];
  decisionChanged: boolean;
  hash: string;
  previousHash?: string;
}

/** The revisions of a case and whether their hash chain verifies. */
export interface RevisionList {
  revisions: RevisionView[];
  chain: { verified: boolean; brokenAt?: number; head?: string };
}

/** One revision's graph (for exports at a revision). */
export interface RevisionGraph {
  revision: number;
  graph: DeliberationGraph;
}
