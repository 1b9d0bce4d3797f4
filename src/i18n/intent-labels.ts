/** Display names of intents for staff screens (dashboard), from the `staff` namespace. */
import { OUT_OF_SCOPE, type IntentName } from '../core/nlu-port';
import type { StaffKey } from './locales';
import { tr } from './translate';

const INTENT_LABELS: Record<IntentName | typeof OUT_OF_SCOPE, StaffKey> = {
  transport_schedule: 'staff.intent.transport_schedule',
  road_damage_report: 'staff.intent.road_damage_report',
  facility_fault_report: 'staff.intent.facility_fault_report',
  illegal_parking_report: 'staff.intent.illegal_parking_report',
  waste_collection: 'staff.intent.waste_collection',
  water_supply: 'staff.intent.water_supply',
  noise_complaint: 'staff.intent.noise_complaint',
  civil_documents: 'staff.intent.civil_documents',
  local_tax: 'staff.intent.local_tax',
  welfare_benefits: 'staff.intent.welfare_benefits',
  health_services: 'staff.intent.health_services',
  multicultural_support: 'staff.intent.multicultural_support',
  complaint_status: 'staff.intent.complaint_status',
  counselor_request: 'staff.intent.counselor_request',
  crisis_support: 'staff.intent.crisis_support',
  greeting: 'staff.intent.greeting',
  thanks_goodbye: 'staff.intent.thanks_goodbye',
  callcenter_info: 'staff.intent.callcenter_info',
  sign_language: 'staff.intent.sign_language',
  parking_fine: 'staff.intent.parking_fine',
  out_of_scope: 'staff.intent.out_of_scope',
};

/** The intent's display name in a staff language; an intent the code does not know keeps its id. */
export function intentLabel(intent: string, language: string | undefined): string {
  const key = (INTENT_LABELS as Record<string, StaffKey | undefined>)[intent];
  return key ? tr(key, language) : intent;
}
