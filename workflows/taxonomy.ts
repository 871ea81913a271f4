import { z } from 'zod';

// The codes are stored on cases and used in filters and exports: never rename one, only add.
export const CATEGORIES = [
  'payment_failed',
  'unauthorized_transaction',
  'refund_not_received',
  'refund_amount_mismatch',
  'incorrect_charge',
  'balance_discrepancy',
  'account_access',
  'account_compromised',
  'merchant_refused_payment',
  'poor_service',
  'other',
] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

// Money can leave the account while the case waits, so these get the shorter first-response clock.
export const URGENT_CATEGORIES = [
  'unauthorized_transaction',
  'account_compromised',
] as const satisfies readonly Category[];

export function isUrgent(category: Category): boolean {
  return (URGENT_CATEGORIES as readonly Category[]).includes(category);
}

export const EVIDENCE_KINDS = [
  'screenshot',
  'transaction_record',
  'chat_log',
  'bank_statement',
  'identity_document',
  'correspondence',
  'other',
] as const;
export const EvidenceKind = z.enum(EVIDENCE_KINDS);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

export const ROLES = ['complainant', 'officer', 'compliance', 'admin', 'system'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

// Decides the US body: payment accounts and e-wallets (platform, bank) go to the CFPB, merchants to the FTC.
export const RESPONDENT_KINDS = ['platform', 'merchant', 'bank'] as const;
export const RespondentKind = z.enum(RESPONDENT_KINDS);
export type RespondentKind = z.infer<typeof RespondentKind>;

// ISO 3166-1 alpha-2, so Greece is GR (the EU's own protocol order writes EL).
export const EU_STATES = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
] as const;
export type EuState = (typeof EU_STATES)[number];

export function isEuState(jurisdiction: string): jurisdiction is EuState {
  return (EU_STATES as readonly string[]).includes(jurisdiction);
}
