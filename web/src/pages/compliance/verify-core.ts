// The very code `npm run verify-export` runs (server/exports/verify.ts is browser-safe), loaded
// on demand by the verify page only: nobody else downloads the hashing code.
export {
  verifyExport,
  type CaseFailure,
  type FailureCode,
  type VerifyProgress,
  type VerifyReport,
} from '../../../../server/exports/verify.ts';
