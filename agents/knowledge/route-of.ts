/**
 * The route or formulation an option's text names: "ibuprofen 5% gel" is topical, "IV amoxicillin" parenteral.
 * Rules of the knowledge base are written for a route (oral unless a treatment says otherwise), and a topical
 * NSAID is not an oral one: its indications and harms differ (NICE NG226 offers topical NSAIDs first for knee
 * osteoarthritis; their systemic harms are small). An option on another route is not the treatment the rules
 * know, so the back-end leaves it unknown rather than argue it with the oral drug's rules.
 */

/** Formulation and route words, by route (whole words, any case). */
const ROUTES: ReadonlyArray<[route: 'topical' | 'parenteral' | 'inhaled' | 'oral', words: RegExp]> = [
  [
    'topical',
    /\b(gel|cream|ointment|topical|topically|patch|patches|plaster|spray|foam|lotion|liniment|rub|eye drops|ear drops|applied to the skin|transdermal|cutaneous)\b/i,
  ],
  [
    'parenteral',
    /\b(iv|i\.v\.|intravenous|intravenously|intramuscular|im injection|injection|infusion|subcutaneous|s\.c\.|sc injection)\b/i,
  ],
  ['inhaled', /\b(inhaled|inhaler|nebulised|nebulized)\b/i],
  ['oral', /\b(oral|orally|by mouth|tablet|tablets|capsule|capsules|po)\b/i],
];

/**
 * The route an option names, or undefined when it names none (then the rules' own route is assumed).
 * A text naming two routes is read by the first of topical, parenteral, inhaled, oral it names.
 */
export function routeOf(text: string): 'topical' | 'parenteral' | 'inhaled' | 'oral' | undefined {
  for (const [route, words] of ROUTES) if (words.test(text)) return route;
  return undefined;
}
