import { expect } from 'chai';
import type { EvidenceCheckRecord } from '../../../server/evidence/gc-model.ts';
import {
  settleCheck,
  type CheckBookkeeping,
  type SettleStore,
} from '../../../server/evidence/gc-settle.ts';
import type { ReferenceCheck } from '../../../server/evidence/references.ts';

// The collector's decision about one storing, against a fake store: no database, no disk.
const SHA = 'a'.repeat(64);
const cutoff = new Date('2026-11-10T12:00:00.000Z');
const check: EvidenceCheckRecord = {
  _id: 'attempt-1',
  sha256: SHA,
  createdAt: new Date(cutoff.getTime() - 60_000),
  checkHour: '2026-11-10T11',
};

/** Content by key; hidden copies by token. */
function fakeStore(options: { stored?: boolean; hidden?: string[] } = {}) {
  const live = new Set<string>(options.stored === false ? [] : [`key:${SHA}`]);
  const hidden = new Set<string>(options.hidden ?? []);
  const purged: string[] = [];
  const store: SettleStore = {
    sweepPartialOf: async () => 0,
    hiddenOf: async () => [...hidden],
    keyOf: (sha256) => `key:${sha256}`,
    async hide(key) {
      if (!live.delete(key)) return null;
      hidden.add(`hidden:${key}`);
      return `hidden:${key}`;
    },
    async unhide(token) {
      hidden.delete(token);
      live.add(token.replace(/^hidden:/, ''));
    },
    async purge(token) {
      hidden.delete(token);
      purged.push(token);
    },
  };
  return { store, live, hidden, purged };
}

function fakeBookkeeping(storings: Date[] = [check.createdAt]) {
  const removed = { refs: [] as string[], checks: [] as string[] };
  const bookkeeping: CheckBookkeeping = {
    storingsOf: async () => storings.map((createdAt) => ({ createdAt })),
    removeRef: async (id) => void removed.refs.push(id),
    removeCheck: async (id) => void removed.checks.push(id),
  };
  return { bookkeeping, removed };
}

/** Answers `referenced` at first and `later` when asked again (after the bytes are hidden). */
function references(referenced: boolean, later = referenced): ReferenceCheck {
  let asked = 0;
  const answer = () => (asked++ === 0 ? referenced : later);
  return {
    referencedBy: async () => ({ referenced: answer(), refIds: ['ref-1', 'ref-2'] }),
    isReferenced: async () => answer(),
  };
}

/** Settles the check against the fakes; answers what it counted and what it left. */
async function settle(refs: ReferenceCheck, storings?: Date[], hidden?: string[]) {
  const fake = fakeStore(hidden ? { hidden } : {});
  const { bookkeeping, removed } = fakeBookkeeping(storings);
  const result = await settleCheck(
    { store: fake.store, references: refs, bookkeeping },
    check,
    cutoff,
  );
  return { result, removed, ...fake };
}

describe('evidence: settling one storing', () => {
  it('keeps referenced bytes and puts back copies an interrupted collection hid', async () => {
    const { result, removed, ...fake } = await settle(references(true), undefined, [
      `hidden:key:${SHA}-old`,
    ]);
    expect(result).to.deep.equal({ removed: 0, restored: 1, partial: 0 });
    expect(fake.live.has(`key:${SHA}`)).to.equal(true);
    expect(removed).to.deep.equal({ refs: [], checks: ['attempt-1'] });
  });

  it('purges unreferenced bytes with the refs it read, and finishes the check', async () => {
    const { result, removed, ...fake } = await settle(references(false));
    expect(result).to.deep.equal({ removed: 1, restored: 0, partial: 0 });
    expect(fake.purged).to.deep.equal([`hidden:key:${SHA}`]);
    expect(removed).to.deep.equal({ refs: ['ref-1', 'ref-2'], checks: ['attempt-1'] });
  });

  it('puts the bytes back when a case took them between the hide and the second look', async () => {
    const { result, removed, ...fake } = await settle(references(false, true));
    expect(result).to.deep.equal({ removed: 0, restored: 1, partial: 0 });
    expect(fake.live.has(`key:${SHA}`)).to.equal(true);
    expect(removed.refs).to.deep.equal([]);
  });

  it('leaves the decision to a younger storing of the same bytes', async () => {
    const { result, removed, ...fake } = await settle(references(false), [
      check.createdAt,
      new Date(cutoff.getTime() + 1_000),
    ]);
    expect(result).to.deep.equal({ removed: 0, restored: 0, partial: 0 });
    expect(fake.live.has(`key:${SHA}`)).to.equal(true);
    expect(removed.checks).to.deep.equal(['attempt-1']);
  });
});
