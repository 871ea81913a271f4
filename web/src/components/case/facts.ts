import type { Schemas } from '../../api/client';
// Which of the facts a consumer body requires (workflows/requirements.ts FACT_CODES) each form
// completes: the account's contact details (ContactForm) or the case's company details
// (UPDATE_DETAILS). The others come with the complaint itself or its evidence.
export const CONTACT_FACTS: readonly string[] = [
  'complainant.phone',
  'complainant.postalAddress',
  'complainant.regionAndPostalCode',
];
export const RESPONDENT_FACT = 'respondent.addressOrRegistrationNumber';

export const needsContact = (facts: readonly string[]): boolean =>
  facts.some((fact) => CONTACT_FACTS.includes(fact));

type Contact = Schemas['Contact'];

/**
 * Which of the contact facts among `facts` an account's details lack, judged as the server's
 * requirements.ts does: before a case exists there is no `escalation.missing` to read.
 */
export function lackingContact(facts: readonly string[], contact: Contact | undefined): string[] {
  const address = contact?.postalAddress;
  const present: Record<string, boolean> = {
    'complainant.phone': !!contact?.phone,
    'complainant.postalAddress':
      !!address && address.lines.some((line) => line.trim()) && !!address.locality,
    'complainant.regionAndPostalCode': !!address?.region && !!address?.postalCode,
  };
  return facts.filter((fact) => CONTACT_FACTS.includes(fact) && !present[fact]);
}
