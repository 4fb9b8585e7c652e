/** What a rater rates, each on a 1–5 Likert scale (the columns of the `eval_ratings` table). */
export const RATING_DIMENSIONS = ['correctness', 'completeness', 'clarity', 'trust'] as const;
export type RatingDimension = (typeof RATING_DIMENSIONS)[number];
