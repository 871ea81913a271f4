import { CFPB_COLUMNS, type CfpbRow } from '../../../server/imports/cfpb.ts';

/** A CFPB row as the export has it: a resolved wallet complaint; overrides replace fields. */
export function cfpbRow(overrides: Partial<CfpbRow> = {}): CfpbRow {
  const base = Object.fromEntries(CFPB_COLUMNS.map((c) => [c, ''])) as CfpbRow;
  return {
    ...base,
    'Date received': '2019-09-24',
    Product: 'Money transfer, virtual currency, or money service',
    'Sub-product': 'Mobile or digital wallet',
    Issue: 'Unauthorized transactions or other transaction problem',
    Company: 'Example Pay Inc.',
    State: 'CA',
    'Consumer consent provided?': 'Consent not provided',
    'Submitted via': 'Web',
    'Date sent to company': '2019-09-25',
    'Company response to consumer': 'Closed with monetary relief',
    'Timely response?': 'Yes',
    'Consumer disputed?': 'N/A',
    'Complaint ID': '3384392',
    ...overrides,
  };
}
