import type { CaseFacts } from '../../workflows/index.ts';
import type { UserRecord } from '../users/model.ts';
import type { UserService } from '../users/service.ts';
import type { CaseRecord } from './model.ts';

/** What the rules know of the complainant: their account as it is now (contact lives there). */
export type ComplainantFacts = CaseFacts['complainant'];

/** No account (deleted, or a case imported without one): nothing is known. */
export const UNKNOWN_COMPLAINANT: ComplainantFacts = Object.freeze({
  name: '',
  phone: null,
  postalAddress: null,
});

export function complainantFactsOf(
  owner: Pick<UserRecord, 'name' | 'phone' | 'postalAddress'> | null,
): ComplainantFacts {
  if (!owner) return UNKNOWN_COMPLAINANT;
  return {
    name: owner.name,
    phone: owner.phone ?? null,
    postalAddress: owner.postalAddress ?? null,
  };
}

/** When the platform's final response went out: the settled final-response clock, if met. */
function finalResponseAt(record: Pick<CaseRecord, 'deadlines'>): string | null {
  const clock = record.deadlines.findLast((deadline) => deadline.kind === 'finalResponse');
  return clock?.status === 'met' ? (clock.settledAt ?? null) : null;
}

/** What the machine's guards and deadline clocks read of a stored case and its owner. */
export function factsOf(record: CaseRecord, complainant: ComplainantFacts): CaseFacts {
  const { address, registrationNumber } = record.respondent;
  return {
    jurisdiction: record.jurisdiction,
    category: record.category as CaseFacts['category'],
    respondent: {
      name: record.respondent.name,
      kind: record.respondent.kind,
      ...(address ? { address } : {}),
      ...(registrationNumber ? { registrationNumber } : {}),
    },
    complainant,
    finalResponseAt: finalResponseAt(record),
    transaction: {
      occurredAt: record.transaction.occurredAt.toISOString(),
      amount: record.transaction.amount,
    },
    narrative: record.narrative,
    desiredOutcome: record.desiredOutcome,
    evidenceCount: record.evidenceCount,
    ownerId: record.ownerId.toHexString(),
    assigneeId: record.assigneeId?.toHexString() ?? null,
  };
}

export type FactsLoader = (record: CaseRecord) => Promise<CaseFacts>;

/** The facts of a case with its owner's account read by `_id`: one lookup per event or view. */
export function createFactsLoader(users: Pick<UserService, 'findById'>): FactsLoader {
  return async (record) =>
    factsOf(record, complainantFactsOf(await users.findById(record.ownerId.toHexString())));
}
