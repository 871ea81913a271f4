import { Types } from 'mongoose';
import { DEFAULT_POLICY } from '../../../workflows/index.ts';
import { createFiling, type FilingDeps } from '../../../server/cases/filing.ts';
import type { OutboxItem } from '../../../server/cases/journal.ts';
import type { CaseRecord } from '../../../server/cases/model.ts';
import type { FileComplaint } from '../../../server/cases/schemas.ts';
import { createCaseViews, createMachines } from '../../../server/cases/views.ts';
import { createFactsLoader } from '../../../server/cases/facts.ts';
import { ManualClock } from '../../../server/clock.ts';
import { complaintBody } from '../../helpers/cases.ts';

// Cases built by the real filing step over fakes, for unit tests of the steps after it.
export const complainantId = new Types.ObjectId().toHexString();
export const officerId = new Types.ObjectId().toHexString();
export const disabledOfficerId = new Types.ObjectId().toHexString();
export const complainant = { id: complainantId, role: 'complainant' as const };
export const officer = { id: officerId, role: 'officer' as const };
export const FILED_AT = '2026-11-02T09:00:00.000Z';

/** A valid complaint as the routes hand it to filing: the integration tests' body. */
export const input = complaintBody({ occurredAt: '2026-10-20T10:00:00.000Z' }) as FileComplaint;

const accounts: Record<string, { role: string; disabled?: boolean }> = {
  [complainantId]: { role: 'complainant' },
  [officerId]: { role: 'officer' },
  [disabledOfficerId]: { role: 'officer', disabled: true },
};

/** Accounts by id, as the user service answers them. */
export const users: FilingDeps['users'] = {
  findById: async (id) => (accounts[id] ?? null) as never,
};

export const machines = createMachines(DEFAULT_POLICY);

/** The filing step over a fake allocator and a fake repository that keeps what it is given. */
export function fakeFiling(clock = new ManualClock(FILED_AT)) {
  const inserted: { record: CaseRecord; notifications: OutboxItem[] }[] = [];
  const file = createFiling({
    users,
    clock,
    references: { next: async (year) => `RD-${year}-000042` },
    repository: {
      insertNew: async (record, notifications) => void inserted.push({ record, notifications }),
    },
    machine: machines.current,
    policy: DEFAULT_POLICY,
    toView: createCaseViews({
      machineFor: machines.machineFor,
      policy: DEFAULT_POLICY,
      clock,
      factsOf: createFactsLoader(users),
    }).toCaseView,
  });
  return { file, inserted };
}

/** A case a complainant has just filed, in state `filed`. */
export async function filedCase(): Promise<CaseRecord> {
  const { file, inserted } = fakeFiling();
  await file({ ...complainant, email: 'c@example.com' } as never, input);
  return inserted[0]!.record;
}
