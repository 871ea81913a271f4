import type { Schemas } from '../../api/client';
import type { CaseView, Deadline } from './shared';

type Policy = Schemas['Workflow']['policy'];
type JurisdictionPolicy = Schemas['JurisdictionPolicy'];
export type Duration = Schemas['Duration'];

const URGENT = new Set(['unauthorized_transaction', 'account_compromised']);

// The same row choice as workflows/policy.ts policyFor: the country's own row, the EU's, default.
function rowFor(policy: Policy, jurisdiction: string): JurisdictionPolicy {
  if (jurisdiction !== 'default' && Object.hasOwn(policy.jurisdictions, jurisdiction)) {
    return policy.jurisdictions[jurisdiction]!;
  }
  if ((policy.euStates as string[]).includes(jurisdiction)) return policy.jurisdictions.EU;
  return policy.jurisdictions.default;
}

/**
 * The clock a deadline runs on (e.g. 15 working days), as workflows/policy.ts durationFor
 * decides it; the case's deadline carries only its dates, so the policy names the unit.
 */
export function clockOf(
  policy: Policy,
  facts: Pick<CaseView, 'jurisdiction' | 'category'>,
  deadline: Deadline,
): Duration | null {
  const row = rowFor(policy, facts.jurisdiction);
  switch (deadline.kind) {
    case 'acknowledge':
      return (
        (URGENT.has(facts.category) ? row.deadlines.acknowledgeUrgent : null) ??
        row.deadlines.acknowledge
      );
    case 'finalResponse':
      return deadline.extended ? row.deadlines.extendedFinalResponse : row.deadlines.finalResponse;
    case 'bodyAcceptance':
      return row.consumerBody?.acceptance ?? null;
    case 'bodyMediation':
      return row.consumerBody?.mediation ?? null;
  }
  return null;
}
