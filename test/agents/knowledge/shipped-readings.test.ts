/**
 * How the shipped knowledge base's concepts read facts worded as clinicians write them (safety corpus round
 * four): each case names the concept, the fact and the reading (`present`, `absent`, `unclear`, `silent`).
 * A reading that says `silent` or `absent` where the fact states a contraindication lets a decision through, so
 * each row here was seen to fail before its fix.
 */
import { describe, expect, it } from 'vitest';
import { normaliseFacts } from '../../../agents/case.js';
import {
  defaultKnowledgeBasePath,
  indexKnowledgeBase,
  loadKnowledgeBase,
} from '../../../agents/knowledge/index.js';

const index = indexKnowledgeBase(await loadKnowledgeBase(defaultKnowledgeBasePath()));

/** The reading of one fact for one concept of the shipped knowledge base. */
function reading(conceptId: string, text: string): string {
  const read = index.readConcept(normaliseFacts([text]), conceptId);
  return (['present', 'unclear', 'absent'] as const).find((key) => read[key].length > 0) ?? 'silent';
}

describe('the shipped concepts on clinicians\' wordings', () => {
  it.each([
    ['egfr-below-30', 'Cr clearance 25 mL/min (Cockcroft-Gault).', 'present'],
    ['egfr-below-30', 'Creat clearance 24 ml/min.', 'present'],
    ['egfr-below-30', 'Cr clearance 65 mL/min.', 'absent'],
    // A clearance the reader cannot put a number on is not assessed, never read as silence.
    ['egfr-below-30', 'Clearance (Cockcroft-Gault) about twenty-five.', 'unclear'],
    // So is a fact naming the measure without a value: a measure's names are words of its topic.
    ['egfr-below-30', 'eGFR awaited from this morning\'s bloods.', 'unclear'],
    ['chronic-kidney-disease', 'CrCl to follow.', 'unclear'],
    ['high-bleeding-risk', 'HAS-BLED not yet calculated.', 'unclear'],
    // A family-history line is about the relatives, whatever its label.
    ['egfr-below-30', 'FH: mother on dialysis for diabetic kidney disease.', 'silent'],
    ['egfr-below-30', 'F/H: brother ESRF on haemodialysis.', 'silent'],
    ['egfr-below-30', 'FH of CKD stage 5 (mother).', 'silent'],
    // "FH" without a colon is also familial hypercholesterolaemia, the patient's own: not a relative's line.
    ['established-cvd', 'Heterozygous FH, previous MI 2019.', 'present'],
    // Negation as notes write it: "neg for" before, "nil" after; "nil by mouth" negates nothing.
    ['qt-prolongation', 'ECG: sinus rhythm, neg for QT prolongation (QTc 440 ms).', 'absent'],
    ['active-bleeding', 'Bleeding: nil.', 'absent'],
    ['active-bleeding', 'PR bleeding - nil.', 'absent'],
    ['active-bleeding', 'Melaena this morning, nil by mouth for OGD.', 'present'],
    ['active-bleeding', 'Nil by mouth, melaena overnight.', 'present'],
    // Diabetes as problem lists write it.
    ['type-2-diabetes', 'Type 2 DM, HbA1c 9.2%, on diet only.', 'present'],
    ['type-2-diabetes', 'DM type 2 since 2019.', 'present'],
    ['type-2-diabetes', 'PMH: NIDDM, HTN.', 'present'],
    ['type-2-diabetes', 'Diabetes mellitus type II, diet controlled.', 'present'],
    // A negated finding that only qualifies another thing says nothing of the finding itself: no bleeding disorder
    // is not no bleeding (the case stays silent on bleeding, so a decision names it as taken as absent).
    ['active-bleeding', 'No known bleeding disorder.', 'silent'],
    ['active-bleeding', 'No bleeding tendency; no bleeding risk factors.', 'silent'],
    ['active-bleeding', 'Known bleeding disorder (von Willebrand).', 'present'],
    ['active-bleeding', 'No bleeding; no bleeding disorder.', 'absent'],
    // No drug allergy at all rules out a penicillin allergy; an allergy-free statement about something else does
    // not, nor does a missing allergy list.
    ['penicillin-allergy', 'NKDA.', 'absent'],
    ['penicillin-allergy', 'Allergies: none known.', 'absent'],
    ['penicillin-allergy', 'No known drug allergies.', 'absent'],
    ['penicillin-allergy', 'Allergies: nil.', 'absent'],
    ['penicillin-allergy', 'Denies medication allergies.', 'absent'],
    ['penicillin-allergy', 'No food allergies.', 'silent'],
    ['penicillin-allergy', 'No allergy list available.', 'silent'],
    ['penicillin-allergy', 'Allergy status unknown.', 'silent'],
    ['penicillin-allergy', 'Allergies: latex; no other allergies.', 'silent'],
    ['penicillin-allergy', 'No allergies except penicillin (hives).', 'present'],
    ['penicillin-allergy', 'NKDA; amoxicillin rash as a child.', 'present'],
    // A value followed by a later one the reader cannot tie to the name is not the patient's value now.
    ['egfr-below-30', 'eGFR was 45 last year, now 24.', 'unclear'],
    ['egfr-below-30', 'eGFR 52 -> 27 over 6 months.', 'unclear'],
    ['egfr-below-30', 'eGFR 52 in March, down to 27 today.', 'unclear'],
    ['egfr-below-30', 'eGFR 52, stable; now on ramipril 5 mg.', 'absent'],
    // Short forms as notes write them.
    ['penicillin-allergy', 'Pen allergy (rash).', 'present'],
    ['penicillin-allergy', 'Allergic to pen V as a child.', 'present'],
    ['chronic-kidney-disease', 'CKD3a, stable.', 'present'],
    ['chronic-kidney-disease', 'CKD G3b A2.', 'present'],
    ['egfr-below-30', 'CKD3a, stable.', 'silent'],
    ['established-cvd', 'Known CVD (TIA 2020).', 'present'],
    ['established-cvd', 'No known cardiovascular disease.', 'absent'],
    // A risk or a score of a finding is not the finding, in either direction.
    ['established-cvd', '10-year CVD risk 12%.', 'silent'],
    ['established-cvd', 'Cardiovascular disease risk (QRISK3) 14%.', 'silent'],
    ['established-cvd', 'ASCVD risk 15%; no ASCVD.', 'absent'],
    ['active-bleeding', 'Melaena and high risk of rebleeding.', 'present'],
    ['active-bleeding', 'HAS-BLED 4 (high bleeding risk).', 'silent'],
    // Kidney function stated normal rules the low eGFR out; "not normal" never does.
    ['egfr-below-30', 'Renal function normal.', 'absent'],
    ['egfr-below-30', 'Normal renal function on last bloods.', 'absent'],
    ['egfr-below-30', 'U&Es normal.', 'absent'],
    ['chronic-kidney-disease', 'Kidney function normal.', 'absent'],
    ['egfr-below-30', 'Renal function not normal.', 'unclear'],
    ['egfr-below-30', 'Renal function not quite normal.', 'unclear'],
    // A negated record of a topic ("no renal function tests done") says nothing of the finding: not assessed.
    ['egfr-below-30', 'No renal function tests done yet.', 'unclear'],
    ['egfr-below-30', 'No creatinine result available.', 'unclear'],
    ['pregnancy', 'No LMP recorded.', 'unclear'],
    ['mechanical-heart-valve', 'No valve disease.', 'absent'],
    // Denying what would rule a concept out reopens it: not assessed, never ruled out.
    ['mechanical-heart-valve', 'Not a tissue valve - mechanical.', 'unclear'],
    ['mechanical-heart-valve', 'AF, not non-valvular.', 'unclear'],
    // A patient described as a man rules pregnancy out (no assumption to confirm); someone else's sex does not.
    ['pregnancy', '47 yo man, CAP, low severity.', 'absent'],
    ['pregnancy', 'Male, 52.', 'absent'],
    ['pregnancy', '66 yo M with T2DM.', 'absent'],
    ['pregnancy', '49M, T2DM, HbA1c 7.8%.', 'absent'],
    ['pregnancy', 'Sex: M.', 'absent'],
    // The patient fact a CDS Hooks call builds from the FHIR Patient.
    ['pregnancy', 'Patient: 47-year-old male.', 'absent'],
    ['pregnancy', 'Patient: male.', 'absent'],
    ['pregnancy', 'Patient: 30-year-old female.', 'silent'],
    ['pregnancy', 'Low-severity CAP in a 70-year-old man.', 'absent'],
    ['pregnancy', 'CAP, CURB-65 0, 40 yo man.', 'absent'],
    ['pregnancy', 'Seen with her son, 40 yo man.', 'silent'],
    ['pregnancy', 'Attends with her male partner.', 'silent'],
    ['pregnancy', 'Her husband, a 70-year-old man, is her carer.', 'silent'],
    ['pregnancy', 'MRSA screen negative.', 'silent'],
    ['pregnancy', 'M. pneumoniae PCR negative.', 'silent'],
    ['pregnancy', 'Ultrasound: male fetus, growth normal.', 'silent'],
    ['pregnancy', '32F, LMP 2 weeks ago.', 'unclear'],
    // Allergies as lists write them: the allergen after "except" is asserted, and every item of a fact headed
    // "Allergies:" is an allergy, whatever else the heading's clause says.
    ['penicillin-allergy', 'No known drug allergies except penicillin.', 'present'],
    ['penicillin-allergy', 'NKDA apart from amoxicillin.', 'present'],
    ['penicillin-allergy', 'Allergies: codeine; amoxicillin.', 'present'],
    ['penicillin-allergy', 'Allergies: pen.', 'present'],
    ['penicillin-allergy', 'Allergies: nil known; penicillin? (mother unsure).', 'unclear'],
    ['penicillin-allergy', 'Allergies: NKDA; penicillin label removed 2021.', 'absent'],
    ['penicillin-allergy', 'Currently on amoxicillin; no allergies.', 'absent'],
    // A test named as not done says nothing of the finding: not assessed, never absent.
    ['pregnancy', 'No pregnancy test done.', 'unclear'],
    ['pregnancy', 'Urine hCG not sent.', 'unclear'],
    // A result below the assay's limit ("<5") is a negative test.
    ['pregnancy', 'Serum hCG <5 IU/L.', 'absent'],
    ['pregnancy', 'Pregnancy ruled out: serum hCG < 2 mIU/mL.', 'absent'],
    // "Finding: no" closes the finding's own line; "no" that starts another statement does not negate it.
    ['pregnancy', 'Pregnant: no.', 'absent'],
    ['active-bleeding', 'Haematuria: no cause found on CT.', 'present'],
    ['heart-failure', 'No HF.', 'absent'],
    ['heart-failure', 'CHF (EF 35%).', 'present'],
    // "Not excluded", "cannot be ruled out": a double negative is doubt, never a finding ruled out; so is a
    // negation with a question mark, and "unlikely".
    // A denial does not settle what the same fact affirms elsewhere about its topic: not assessed.
    ['pregnancy', 'Denies pregnancy but LMP 8 weeks ago.', 'unclear'],
    ['pregnancy', 'Not pregnant; LMP 6 weeks ago, cycles irregular.', 'unclear'],
    ['pregnancy', 'Not pregnant (urine hCG negative today).', 'absent'],
    ['active-bleeding', 'No active bleeding; transfused 2 units yesterday for blood loss.', 'unclear'],
    ['active-bleeding', 'No active bleeding; prior GI bleed 2015.', 'absent'],
    ['pregnancy', 'Pregnancy not excluded.', 'unclear'],
    ['pregnancy', 'Pregnancy cannot be excluded.', 'unclear'],
    ['pregnancy', "Pregnancy can't be excluded.", 'unclear'],
    ['pregnancy', 'Pregnancy not yet ruled out.', 'unclear'],
    ['pregnancy', 'Pregnancy not definitely excluded.', 'unclear'],
    ['pregnancy', 'Pregnancy unlikely.', 'unclear'],
    ['pregnancy', 'No pregnancy?', 'unclear'],
    ['active-bleeding', 'Active bleeding not ruled out.', 'unclear'],
    ['active-bleeding', 'GI bleeding cannot be ruled out.', 'unclear'],
    ['active-bleeding', 'Bleeding - not excluded.', 'unclear'],
    ['mechanical-heart-valve', 'Mechanical valve not excluded.', 'unclear'],
    ['pregnancy', 'Pregnancy excluded.', 'absent'],
    ['pregnancy', 'Pregnancy ruled out.', 'absent'],
    // Bleeding, pregnancy tests, ulcers, coronary disease and QT as notes abbreviate them.
    ['active-bleeding', 'Nosebleeds most days this week.', 'present'],
    ['active-bleeding', 'ICH on CT today.', 'present'],
    ['active-bleeding', 'SAH last week.', 'present'],
    ['active-bleeding', 'Subdural haematoma on CT today.', 'present'],
    ['active-bleeding', 'UGIB 3/7 ago.', 'present'],
    ['pregnancy', 'Preg test positive.', 'present'],
    ['peptic-ulcer-history', 'Previous DU bleed.', 'present'],
    ['established-cvd', 'Previous NSTEMI 2018.', 'present'],
    ['established-cvd', 'IHD, stable.', 'present'],
    ['qt-prolongation', 'QT prolonged on today\'s ECG.', 'present'],
    ['mechanical-heart-valve', 'Metallic AVR.', 'present'],
    ['egfr-below-30', 'Renal failure on HD.', 'present'],
    // Relatives as notes name them; a relative who reports is the informant, not the one with the finding.
    ['penicillin-allergy', 'Mum: penicillin allergy.', 'silent'],
    ['established-cvd', 'Dad had an MI at 55.', 'silent'],
    ['penicillin-allergy', 'Her mum is allergic to penicillin.', 'silent'],
    ['penicillin-allergy', 'Nephew reacted to amoxicillin (rash).', 'silent'],
    ['active-bleeding', 'Wife reports melaena since Monday.', 'present'],
    ['active-bleeding', 'Daughter noticed black tarry stools this morning.', 'present'],
    ['active-bleeding', 'Child-Pugh B; melaena today.', 'present'],
    // A negation reaches through a list ("no MI, stroke or TIA"), not past a comma that starts another finding.
    ['active-bleeding', 'No chest pain, melaena x2 today.', 'present'],
    ['active-bleeding', 'Not anticoagulated, haematemesis this am.', 'present'],
    ['mechanical-heart-valve', 'No stroke, mechanical MVR 2010.', 'present'],
    ['qt-prolongation', 'No syncope, QTc 520.', 'present'],
    ['peptic-ulcer-history', 'No NSAID use, duodenal ulcer 2019.', 'present'],
    ['penicillin-allergy', 'No asthma, penicillin allergy (rash).', 'present'],
    ['established-cvd', 'No history of MI, stroke or coronary disease.', 'absent'],
    ['active-bleeding', 'No haematemesis, melaena or PR bleeding.', 'absent'],
    ['active-bleeding', 'Denies melaena, haematemesis and haematuria.', 'absent'],
    // "Past", "previous" and "prior" that name a recent span, or the history of the presenting complaint, are now.
    ['active-bleeding', 'Past 2 days: melaena.', 'present'],
    ['active-bleeding', 'Over the past week, haematemesis x3.', 'present'],
    ['active-bleeding', 'In the previous 24 hours, melaena x3.', 'present'],
    ['active-bleeding', 'Prior to admission melaena x2.', 'present'],
    ['active-bleeding', 'History of presenting complaint: melaena for 3 days.', 'present'],
    ['active-bleeding', 'Previous melaena in 2019.', 'silent'],
    ['active-bleeding', 'Past history: haematemesis.', 'silent'],
  ])('%s in "%s" reads %s', (conceptId, text, expected) => {
    expect(reading(conceptId, text)).toBe(expected);
  });
});
