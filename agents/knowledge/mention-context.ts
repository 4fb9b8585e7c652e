/**
 * The context of one mention in a fact's text, after ConText (Harkema, Dowling, Thornblade, Chapman:
 * "ConText: an algorithm for determining negation, experiencer, and temporal status from clinical reports",
 * J Biomed Inform 2009): trigger terms before or after the mention, within its clause, say whether the
 * finding is negated, about someone else (a family member), historical, hypothetical, or uncertain.
 *
 * The scope is the clause: it ends at `. ; ! ?`, a line break, or a conjunction that turns the sentence
 * (`but`, `however`, `although`, `except`, `other than`). Pre-triggers look at the last few words before the
 * mention; post-triggers at the first few after it. Trigger lists are ConText's (and NegEx's) most common
 * English ones; codes bypass all of this (a coded fact is trusted as stated). Caveat: a trigger can still reach
 * too far or not far enough in a long list; an uncertain reading makes the knowledge back-end abstain, not
 * decide.
 */

/** What a mention asserts about the patient now. */
export type Assertion = 'present' | 'negated' | 'other-person' | 'historical' | 'hypothetical' | 'uncertain';

const CLAUSE_END =
  /[.;!?\n]|\bbut\b|\bhowever\b|\balthough\b|\bexcept\b|\bapart from\b|\bother than\b|\bbesides\b/gi;
const WINDOW_CHARS = 160;
const PRE_WORDS = 6;
const POST_WORDS = 5;

// `-ve` (negative) starts with a sign, so it is matched without a word boundary before it. "Nil by mouth"
// (fasting, as before an endoscopy for a bleed) negates nothing.
const NIL = 'nil(?!\\s+(?:by|per)\\s+(?:mouth|os)\\b)';
const NEGATED_BEFORE = new RegExp(
  `\\b(no|not|nor|denies|denied|denying|without|negative for|negative|neg for|free of|ruled out|absence of|never|no history of|no evidence of|no known|no sign of|no signs of|${NIL})\\b|(?<![\\w+-])-ve\\b`,
  'i',
);
const NEGATED_AFTER = new RegExp(
  `^[\\s,:-]*(?:\\S+\\s+){0,2}?(ruled out|excluded|was excluded|negative|neg|-ve|absent|not present|denied|none|${NIL}|removed|de-?labell?ed|disproved|refuted|retracted)\\b`,
  'i',
);
const RELATIVES = [
  'mother|father|mum|mom|dad|sister|brother|son|daughter|aunt|uncle|niece|nephew',
  'grandmother|grandfather|grandparent|grandson|granddaughter|grandchild|grandchildren',
  'stepmother|stepfather|stepson|stepdaughter|parent|parents|sibling|siblings|cousin|husband|wife|partner|twin',
].join('|');
/**
 * A relative named as such, or a family-history label: "FH" only before a colon, dash or "of" ("FH: mother
 * ...", "F/H of ..."), since "FH" alone is also familial hypercholesterolaemia, the patient's own diagnosis.
 */
const OTHER_PERSON = new RegExp(
  `\\b(family history|family hx|fhx|f\\/?h(?=\\s*(?:[:-]|of\\b))|(?:her|his|their|the patient's|patient's|maternal|paternal)\\s+(?:[\\w-]+\\s+){0,2}?(${RELATIVES}))\\b`,
  'i',
);
/** A relative who is the subject of the clause ("Grandmother died of ...", "Father had an MI"), not "mother of two". */
const OTHER_PERSON_SUBJECT = new RegExp(
  `^\\W*(?:(?:maternal|paternal)\\s+)?(?:${RELATIVES})\\b(?!\\s+of\\b)`,
  'i',
);
/**
 * The patient named again after a relative ("Wife reports he has melaena"), or a relative who only reports
 * ("Wife reports melaena", "Daughter noticed black stools"): the finding is the patient's.
 */
const PATIENT_AGAIN =
  /\b(he|she|him|her|the patient|patient)\b|^\s*(?:reports?|reported|says|said|states|stated|notes|noted|noticed|describes|described|mentions|mentioned|confirms|confirmed|tells us|is worried|was worried|concerned|called|phoned|brought)\b/i;

/** Whether the clause before a mention opens with a relative it is about. */
function relativeSubject(before: string): boolean {
  const subject = OTHER_PERSON_SUBJECT.exec(before);
  return subject !== null && !PATIENT_AGAIN.test(before.slice(subject.index + subject[0].length));
}
const OTHER_PERSON_AFTER = new RegExp(
  `^[\\s,:-]*(?:\\S+\\s+){0,3}?(in (?:her|his|the patient's) (?:${RELATIVES}|family))\\b`,
  'i',
);
/** A finding's own line answered "no" ("Pregnant: no."), the answer ending the clause. */
const ANSWERED_NO = /^\s*:\s*no\s*(?:$|[.;,)])/i;
const HISTORICAL_BEFORE =
  /\b(history of|h\/o|hx of|previous|previously|prior|past|former|resolved|remote|childhood|as a child)\b/i;
/** Spans that name the present episode, though they hold a word of history ("over the past week"). */
const RECENT_SPAN = new RegExp(
  [
    '\\b(?:the\\s+)?(?:past|previous|last|prior)\\s+(?:\\d+|few|several|couple of)?\\s*' +
      '(?:hours?|hrs?|h|days?|d|weeks?|wks?|night)\\b',
    '\\bprior to (?:admission|presentation|arrival)',
    '\\bhistory of (?:the\\s+)?present(?:ing)? (?:complaint|illness)',
  ].join('|'),
  'gi',
);
const HISTORICAL_AFTER =
  /^[\s,:-]*(?:\S+\s+){0,3}?(in (?:19|20)\d\d|(?:\d+|several|many|two|three) (?:years|months) ago|resolved|healed|in the past|as a child|since resolved)\b/i;
const HYPOTHETICAL_BEFORE =
  /\b(if|should (?:she|he|they|the patient)|in case of|planning|plans to|plan to|wishes to|wants to|trying to|would|could|risk of|at risk|to prevent|prevention of|avoid|screen for|screening for|counsel(?:l)?ed (?:about|on))\b/i;
const UNCERTAIN_BEFORE =
  /(?:\b(?:possible|possibly|probable|probably|suspected|suspect|suspicion of|query|questionable|may have|might have|may be|might be|cannot exclude|can't exclude|unclear (?:if|whether)|unknown (?:if|whether)|uncertain|likely|rule out|r\/o)|\?)(?=\W|$)/i;
/** After a mention: doubt, including a double negative ("not excluded", "cannot be ruled out"). */
const UNCERTAIN_AFTER =
  /^[\s,:-]*(?:\S+\s+){0,3}?(\?|(?:not|cannot|can't|can not|never)(?:\s+\S+){0,2}?\s+(?:excluded|ruled out)|pending|suspected|to be confirmed|unconfirmed|possible|query|not known|unknown|unlikely)(?=\W|$)/i;

const TERMINATE =
  /\b(but|however|presents|presented|has|have|had|is|are|was|were|with|reports|reported|complains|takes|taking|shows|showed|found|diagnosed|started|now|confirmed)\b/i;

/**
 * ConText's scope for negation runs past NegEx's few-word window through a list: "no history of myocardial
 * infarction, stroke or coronary disease" negates all three. It ends at a verb or conjunction that starts a new
 * statement ("no fever, has pneumonia"), and at a comma when no `or`, `nor` or `and` makes the clause a list
 * ("no chest pain, melaena today": the melaena is stated, and reading it present is the safe side).
 */
function negatedList(before: string, after: string): boolean {
  let cue = -1;
  for (const match of before.matchAll(new RegExp(NEGATED_BEFORE.source, 'gi')))
    cue = (match.index ?? 0) + match[0].length;
  if (cue < 0) return false;
  const scope = before.slice(cue);
  if (TERMINATE.test(scope)) return false;
  return !scope.includes(',') || /\b(?:or|nor|and)\b/i.test(scope + after);
}

/** The clause around [start, end): the text before the mention and after it, within the clause. */
function clause(text: string, start: number, end: number): { before: string; after: string } {
  const from = Math.max(0, start - WINDOW_CHARS);
  let before = text.slice(from, start);
  let clauseStart = 0;
  for (const boundary of before.matchAll(CLAUSE_END)) {
    const at = boundary.index ?? 0;
    // A question mark right before the mention ("? angina") is a trigger of its own clause, not its end.
    if (boundary[0] === '?' && before.slice(at + 1).trim() === '') continue;
    clauseStart = at + boundary[0].length;
  }
  before = before.slice(clauseStart);
  let after = text.slice(end, end + WINDOW_CHARS);
  CLAUSE_END.lastIndex = 0;
  const stop = after.search(CLAUSE_END);
  if (stop >= 0) {
    // A question mark right after the mention is a trigger, not only a clause end.
    after = after.startsWith('?') ? '?' : after.slice(0, stop);
  }
  return { before, after };
}

function lastWords(text: string, n: number): string {
  return text.trim().split(/\s+/).filter(Boolean).slice(-n).join(' ');
}

function firstWords(text: string, n: number): string {
  return text.replace(/^\s+/, '').split(/\s+/).slice(0, n).join(' ');
}

/**
 * The assertion of the mention at [start, end) of `text`.
 * @param current whether the concept is about the present only (active bleeding, pregnancy): then a historical
 *   mention does not state it; for lasting findings (an allergy, a valve, a past ulcer) history still counts.
 * O(window): a fixed number of characters around the mention.
 */
export function mentionContext(text: string, start: number, end: number, current = false): Assertion {
  const { before, after } = clause(text, start, end);
  const pre = lastWords(before, PRE_WORDS);
  const post = firstWords(after, POST_WORDS);
  if (OTHER_PERSON.test(before) || relativeSubject(before) || OTHER_PERSON_AFTER.test(post))
    return 'other-person';
  // Doubt first: "not excluded" holds a negation word, and "no pregnancy?" is a question, not a denial.
  if (UNCERTAIN_BEFORE.test(pre) || UNCERTAIN_AFTER.test(post)) return 'uncertain';
  if (negatedList(before, after) || NEGATED_AFTER.test(post) || ANSWERED_NO.test(after)) return 'negated';
  if (HYPOTHETICAL_BEFORE.test(pre)) return 'hypothetical';
  const past = HISTORICAL_BEFORE.test(pre.replace(RECENT_SPAN, ' '));
  if (current && (past || HISTORICAL_AFTER.test(post))) return 'historical';
  return 'present';
}
