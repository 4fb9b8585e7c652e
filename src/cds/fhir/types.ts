/**
 * The parts of FHIR R4 resources the CDS layer reads, as zod schemas (everything else is kept untouched).
 * A resource that breaks these shapes is reported with the path of the bad member.
 */
import { z } from 'zod';

export const CodingSchema = z.looseObject({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});

export const CodeableConceptSchema = z.looseObject({
  coding: z.array(CodingSchema).optional(),
  text: z.string().optional(),
});
export type CodeableConcept = z.output<typeof CodeableConceptSchema>;

const ReferenceSchema = z.looseObject({ reference: z.string().optional(), display: z.string().optional() });

/**
 * True when the date part of a FHIR date or dateTime names a day of the calendar (month 01-12, a day the
 * month has), so `1961-13-45` is refused instead of rolling over into another date.
 */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  if (month === undefined) return true;
  if (month < 1 || month > 12) return false;
  if (day === undefined) return true;
  return day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** FHIR `date`: YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date. */
const FhirDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)')
  .refine(isCalendarDate, 'not a calendar date (month 01-12, a day the month has)');
/** FHIR `dateTime`: a date, or a date and time with zone. */
const FhirDateTime = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/, 'a FHIR dateTime')
  .refine(isCalendarDate, 'not a calendar date (month 01-12, a day the month has)');

export const PatientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string().optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: FhirDate.optional(),
  deceasedBoolean: z.boolean().optional(),
});
export type Patient = z.output<typeof PatientSchema>;

export const ConditionSchema = z.looseObject({
  resourceType: z.literal('Condition'),
  id: z.string().optional(),
  clinicalStatus: CodeableConceptSchema.optional(),
  verificationStatus: CodeableConceptSchema.optional(),
  code: CodeableConceptSchema.optional(),
  severity: CodeableConceptSchema.optional(),
  onsetDateTime: FhirDateTime.optional(),
  recordedDate: FhirDateTime.optional(),
});
export type Condition = z.output<typeof ConditionSchema>;

export const QuantitySchema = z.looseObject({
  // FHIR decimal: a finite number (JSON has no other); the range a test allows is checked where it is read.
  value: z.number().finite().optional(),
  comparator: z.string().optional(),
  unit: z.string().optional(),
  system: z.string().optional(),
  code: z.string().optional(),
});

export const ObservationSchema = z.looseObject({
  resourceType: z.literal('Observation'),
  id: z.string().optional(),
  status: z.string(),
  code: CodeableConceptSchema,
  valueQuantity: QuantitySchema.optional(),
  valueString: z.string().optional(),
  valueCodeableConcept: CodeableConceptSchema.optional(),
  interpretation: z.array(CodeableConceptSchema).optional(),
  effectiveDateTime: FhirDateTime.optional(),
  issued: z.string().optional(),
});
export type Observation = z.output<typeof ObservationSchema>;

export const MedicationRequestSchema = z.looseObject({
  resourceType: z.literal('MedicationRequest'),
  id: z.string().optional(),
  status: z.string(),
  intent: z.string(),
  medicationCodeableConcept: CodeableConceptSchema.optional(),
  medicationReference: ReferenceSchema.optional(),
  subject: ReferenceSchema.optional(),
  encounter: ReferenceSchema.optional(),
  requester: ReferenceSchema.optional(),
  reasonCode: z.array(CodeableConceptSchema).optional(),
  dosageInstruction: z.array(z.looseObject({ text: z.string().optional() })).optional(),
  authoredOn: FhirDateTime.optional(),
});
export type MedicationRequest = z.output<typeof MedicationRequestSchema>;

export const AllergyIntoleranceSchema = z.looseObject({
  resourceType: z.literal('AllergyIntolerance'),
  id: z.string().optional(),
  clinicalStatus: CodeableConceptSchema.optional(),
  verificationStatus: CodeableConceptSchema.optional(),
  type: z.string().optional(),
  category: z.array(z.string()).optional(),
  criticality: z.string().optional(),
  code: CodeableConceptSchema.optional(),
  reaction: z
    .array(
      z.looseObject({
        manifestation: z.array(CodeableConceptSchema).optional(),
        severity: z.string().optional(),
      }),
    )
    .optional(),
});
export type AllergyIntolerance = z.output<typeof AllergyIntoleranceSchema>;

/** A case fact in its object form, as the CDS mapping produces it (`agents/case.ts` FactSchema). */
export interface CdsFact {
  id: string;
  text: string;
  codes: string[];
  /** The FHIR reference it came from (`AllergyIntolerance/123`). */
  source: string;
}
