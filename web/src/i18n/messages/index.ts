import type { Catalog } from '../catalog.ts';
import { caseWords } from './case.ts';
import { common } from './common.ts';
import { complainant } from './complainant.ts';
import { compliance } from './compliance.ts';
import { officer } from './officer.ts';

/**
 * Every area's catalog. An area adds its own file here rather than growing a shared one, so
 * test/unit/web/i18n.test.ts can name the area of a missing key.
 */
export const catalogs = { common, caseWords, complainant, officer, compliance } satisfies Record<
  string,
  Catalog<string>
>;
