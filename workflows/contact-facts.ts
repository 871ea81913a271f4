// The contact facts an account's details complete, apart from the rest of the requirements so
// the web app can judge an account before a case exists without loading the whole policy.
import type { CaseFacts } from './events.ts';
import type { FactCode } from './policy.ts';

const hasText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

type Contact = Pick<CaseFacts['complainant'], 'phone' | 'postalAddress'>;

/** The facts an account's contact details complete, and whether they do. */
export const CONTACT_PRESENT = {
  'complainant.phone': (contact: Contact) => hasText(contact.phone),
  'complainant.postalAddress': ({ postalAddress: address }: Contact) =>
    !!address &&
    address.lines.some(hasText) &&
    hasText(address.locality) &&
    hasText(address.country),
  'complainant.regionAndPostalCode': ({ postalAddress: address }: Contact) =>
    hasText(address?.region) && hasText(address?.postalCode),
} as const satisfies Partial<Record<FactCode, (contact: Contact) => boolean>>;

/** The facts an account's contact details complete (the contact form), not the case. */
export const CONTACT_FACT_CODES = Object.keys(CONTACT_PRESENT) as (keyof typeof CONTACT_PRESENT)[];

/**
 * Which of `facts` an account's contact details lack, by the rules a case is judged by: for a
 * complaint not filed yet (filing on behalf), when there is no case to ask.
 */
export function contactFactsLacking(
  facts: readonly string[],
  contact: Contact | undefined,
): FactCode[] {
  const given: Contact = {
    phone: contact?.phone ?? null,
    postalAddress: contact?.postalAddress ?? null,
  };
  return CONTACT_FACT_CODES.filter((fact) => facts.includes(fact) && !CONTACT_PRESENT[fact](given));
}
