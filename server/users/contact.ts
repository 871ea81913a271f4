import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

// A complainant's contact details: personal data (server/privacy/personal-data.ts), kept on
// the account, read by the escalation rules of bodies that need them (12315 asks for a phone
// number and a postal address, the CFPB for the state and ZIP code).

export const ADDRESS_LINE_MAX = 200;
export const ADDRESS_LINES_MAX = 4;

const part = (max: number) => z.string().trim().min(1).max(max);

export const PostalAddress = z
  .strictObject({
    lines: z
      .array(part(ADDRESS_LINE_MAX))
      .min(1, 'at least the street line')
      .max(ADDRESS_LINES_MAX, `at most ${ADDRESS_LINES_MAX} lines`),
    locality: part(100).describe('City or town (市/区 in China)'),
    region: part(100).optional().describe('State, province or county (省 in China)'),
    postalCode: part(20).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as CN, US or GB'),
  })
  .meta({ id: 'PostalAddress' });
export type PostalAddress = z.infer<typeof PostalAddress>;

/**
 * The number in E.164 (`+8613812345678`), or why not. Written as the complainant types it:
 * national numbers are read in `country` (their address's), international ones as they are.
 */
export function toE164(
  input: string,
  country?: string,
): { ok: true; e164: string } | { ok: false; message: string } {
  const parsed = parsePhoneNumberFromString(input, (country as CountryCode | undefined) ?? 'CN');
  if (!parsed) return { ok: false, message: 'not a phone number' };
  if (!parsed.isValid()) return { ok: false, message: 'not a valid number in its country' };
  return { ok: true, e164: parsed.number };
}

/**
 * `PUT /me/contact` (and on a complainant's behalf): both fields, null removes one. The phone
 * number is checked with libphonenumber-js and stored in E.164.
 */
export const UpdateContactRequest = z
  .strictObject({
    phone: z.string().trim().min(1).max(40).nullable(),
    postalAddress: PostalAddress.nullable(),
  })
  .transform((value, ctx) => {
    if (value.phone === null) return { ...value, phone: null };
    const result = toE164(value.phone, value.postalAddress?.country);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: result.message });
      return z.NEVER;
    }
    return { ...value, phone: result.e164 };
  })
  .meta({ id: 'UpdateContactRequest' });
export type UpdateContactRequest = z.output<typeof UpdateContactRequest>;

export const ContactView = z
  .object({
    phone: z.string().nullable().describe('E.164, e.g. +8613812345678'),
    postalAddress: PostalAddress.nullable(),
  })
  .meta({ id: 'Contact' });
export type ContactView = z.infer<typeof ContactView>;

export function contactView(record: {
  phone?: string | null;
  postalAddress?: PostalAddress | null;
}): ContactView {
  return { phone: record.phone ?? null, postalAddress: record.postalAddress ?? null };
}
