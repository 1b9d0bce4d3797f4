/**
 * Intent names. The known intents are the fixed label set the service ships with (evaluation uses
 * these names); admins can add intents through the admin API, so an intent name in general is any
 * string, with the known ones spelled out for the compiler.
 */

/** The fixed intent label set. */
export const INTENTS = [
  'transport_schedule',
  'road_damage_report',
  'facility_fault_report',
  'illegal_parking_report',
  'waste_collection',
  'water_supply',
  'noise_complaint',
  'civil_documents',
  'local_tax',
  'welfare_benefits',
  'health_services',
  'multicultural_support',
  'complaint_status',
  'counselor_request',
  'crisis_support',
  'greeting',
  'thanks_goodbye',
  // Questions about the 120 center itself (hours, languages, what it does), answered, not handed over.
  'callcenter_info',
  // A deaf or hard-of-hearing resident asking for sign-language or text-only counselling (issue 18).
  'sign_language',
  // Paying or appealing a parking or traffic fine one received (not reporting someone's car).
  'parking_fine',
] as const;
export type KnownIntent = (typeof INTENTS)[number];
/** A known intent, or one an admin added. */
export type IntentName = KnownIntent | (string & {});

/** The known intents by name, for code that refers to one. */
export const INTENT = {
  transportSchedule: 'transport_schedule',
  roadDamageReport: 'road_damage_report',
  facilityFaultReport: 'facility_fault_report',
  illegalParkingReport: 'illegal_parking_report',
  wasteCollection: 'waste_collection',
  waterSupply: 'water_supply',
  noiseComplaint: 'noise_complaint',
  civilDocuments: 'civil_documents',
  localTax: 'local_tax',
  welfareBenefits: 'welfare_benefits',
  healthServices: 'health_services',
  multiculturalSupport: 'multicultural_support',
  complaintStatus: 'complaint_status',
  counselorRequest: 'counselor_request',
  crisisSupport: 'crisis_support',
  greeting: 'greeting',
  thanksGoodbye: 'thanks_goodbye',
  callcenterInfo: 'callcenter_info',
  signLanguage: 'sign_language',
  parkingFine: 'parking_fine',
} as const satisfies Record<string, KnownIntent>;

/** What the classifier says when no intent is confident enough. */
export const OUT_OF_SCOPE = 'out_of_scope';

/** The intent whose prediction escalates at once (the crisis policy). */
export const CRISIS_INTENT = INTENT.crisisSupport;

/** `lastIntent` of a conversation opened only to answer a survey (not an intent the classifier knows). */
export const SURVEY_ANSWER = 'survey';
