import { expect } from 'chai';
import { Types } from 'mongoose';
import type { CaseChangeRecord } from '../../../server/cases/journal.ts';
import { createRelay, type Outbox } from '../../../server/notifications/relay.ts';
import { messageIdsIn, type NewNotification } from '../../../server/notifications/queue.ts';

// The relay against a fake outbox and a fake queue: which journal entries become which emails.
function change(version: number, items: { template: string; recipientId: string }[]) {
  const caseId = new Types.ObjectId('650000000000000000000001');
  return {
    _id: `${caseId.toHexString()}:${version}`,
    caseId,
    version,
    notifications: items.map((item, index) => ({
      id: `n-${version}-${index}`,
      entrySeq: version,
      createdAt: `2026-11-0${version}T10:00:00.000Z`,
      ...item,
    })),
  } as unknown as CaseChangeRecord;
}

function fakeOutbox(entries: CaseChangeRecord[]) {
  const relayed: string[] = [];
  const outbox: Outbox = {
    pending: async (limit) =>
      entries.filter((entry) => !relayed.includes(String(entry._id))).slice(0, limit),
    markRelayed: async (entry) => {
      relayed.push(String(entry._id));
    },
  };
  return { outbox, relayed };
}

describe('notifications: relay from the journal', () => {
  it('queues every item of every pending entry, then marks each entry relayed', async () => {
    const queued: NewNotification[] = [];
    const { outbox, relayed } = fakeOutbox([
      change(1, [{ template: 'filed', recipientId: 'u1' }]),
      change(2, [
        { template: 'stateChanged', recipientId: 'u1' },
        { template: 'assigned', recipientId: 'u2' },
      ]),
    ]);
    const relay = createRelay({
      outbox,
      insertNotification: async (n) => (queued.push(n), true),
      messageIdFor: messageIdsIn('redress.example'),
    });

    expect(await relay()).to.equal(3);
    expect(relayed).to.have.length(2);
    expect(queued.map((n) => [n._id, n.template, n.recipientId, n.caseVersion])).to.deep.equal([
      ['n-1-0', 'filed', 'u1', 1],
      ['n-2-0', 'stateChanged', 'u1', 2],
      ['n-2-1', 'assigned', 'u2', 2],
    ]);
    expect(queued[1]!.messageId).to.equal(
      '<rd.650000000000000000000001.2.stateChanged.u1@redress.example>',
    );
    expect(queued[1]!.nextAttemptAt.toISOString()).to.equal('2026-11-02T10:00:00.000Z');
  });

  it('counts only new notifications and still marks an entry whose items were queued before', async () => {
    const { outbox, relayed } = fakeOutbox([change(1, [{ template: 'filed', recipientId: 'u1' }])]);
    const relay = createRelay({
      outbox,
      insertNotification: async () => false,
      messageIdFor: messageIdsIn('redress.example'),
    });
    expect(await relay()).to.equal(0);
    expect(relayed).to.have.length(1);
  });

  it('reads batch after batch until a short one', async () => {
    const entries = [1, 2, 3, 4, 5].map((v) =>
      change(v, [{ template: 'filed', recipientId: 'u' }]),
    );
    const { outbox, relayed } = fakeOutbox(entries);
    const relay = createRelay({
      outbox,
      insertNotification: async () => true,
      messageIdFor: messageIdsIn('redress.example'),
    });
    expect(await relay(2)).to.equal(5);
    expect(relayed).to.have.length(5);
  });
});
