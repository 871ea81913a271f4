/**
 * Every stored field that holds personal data, in one list: what an erasure or an access
 * request has to find, and what a new field holding such data must be added to. Paths are
 * the stored documents' (MongoDB collections), dotted; `[]` marks an array.
 *
 * `kind` says what the data is: `identity` names or identifies a person, `contact` reaches
 * them, `account` is how they sign in, `free-text` is what they wrote (it may hold anything,
 * including other people's data), `file` is an upload.
 */
export type PersonalDataKind = 'identity' | 'contact' | 'account' | 'free-text' | 'file';

export interface PersonalField {
  collection: string;
  path: string;
  kind: PersonalDataKind;
  note: string;
}

export const PERSONAL_DATA: readonly PersonalField[] = Object.freeze([
  { collection: 'users', path: 'name', kind: 'identity', note: 'the account holder' },
  { collection: 'users', path: 'email', kind: 'account', note: 'sign-in and every email' },
  { collection: 'users', path: 'phone', kind: 'contact', note: 'E.164; 12315 requires it' },
  {
    collection: 'users',
    path: 'postalAddress',
    kind: 'contact',
    note: '12315 requires it, the CFPB its state and ZIP code',
  },
  { collection: 'cases', path: 'narrative', kind: 'free-text', note: 'what happened' },
  { collection: 'cases', path: 'desiredOutcome', kind: 'free-text', note: 'what they ask for' },
  {
    collection: 'cases',
    path: 'transaction.reference',
    kind: 'identity',
    note: 'ties the case to their payment account',
  },
  {
    collection: 'cases',
    path: 'respondent',
    kind: 'identity',
    note: 'a sole trader (个体工商户) is a person: name, address, registration number',
  },
  {
    collection: 'cases',
    path: 'timeline[].data',
    kind: 'free-text',
    note: 'answers, reasons and notes written on the case',
  },
  {
    collection: 'cases',
    path: 'evidence[]',
    kind: 'file',
    note: 'file names here, the bytes in the evidence store',
  },
  {
    collection: 'case_changes',
    path: 'entry.data',
    kind: 'free-text',
    note: 'the journal copy of each timeline entry',
  },
  {
    collection: 'case_terms',
    path: 'terms',
    kind: 'free-text',
    note: 'search terms derived from the narrative and the respondent',
  },
]);

/** The personal fields of one collection, for code that copies or erases its documents. */
export function personalFieldsOf(collection: string): PersonalField[] {
  return PERSONAL_DATA.filter((field) => field.collection === collection);
}
