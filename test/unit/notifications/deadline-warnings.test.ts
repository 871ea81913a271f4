import { expect } from 'chai';
import { Types } from 'mongoose';
import {
  createDeadlineWarnings,
  warningsFor,
  type SoonCase,
} from '../../../server/notifications/deadline-warnings.ts';
import { messageIdsIn, type NewNotification } from '../../../server/notifications/queue.ts';
import { hourKey } from '../../../server/hour-buckets.ts';

// Which deadlines are warned about, and that each is warned about once: fakes, no database.
const HOUR = 3_600_000;
const now = new Date('2026-11-10T12:00:00.000Z');
const messageIdFor = messageIdsIn('redress.example');

function soonCase(deadlines: SoonCase['deadlines'], nextDueAt: Date): SoonCase {
  return {
    _id: new Types.ObjectId('650000000000000000000002'),
    assigneeId: new Types.ObjectId('650000000000000000000003'),
    version: 7,
    nextDueAt,
    deadlines,
  } as SoonCase;
}

const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('notifications: deadline warnings', () => {
  it('warns about running clocks due within the lead time only', () => {
    const record = soonCase(
      [
        {
          kind: 'finalResponse',
          startedAt: at(-30 * 24 * HOUR),
          dueAt: at(3 * HOUR),
          status: 'running',
        },
        {
          kind: 'bodyAcceptance',
          startedAt: at(-30 * 24 * HOUR),
          dueAt: at(48 * HOUR),
          status: 'running',
        },
        { kind: 'acknowledge', startedAt: at(-30 * HOUR), dueAt: at(2 * HOUR), status: 'met' },
      ],
      new Date(at(3 * HOUR)),
    );
    const warnings = warningsFor(record, now, 24 * HOUR, messageIdFor);
    expect(warnings.map((w) => w.deadline?.kind)).to.deep.equal(['finalResponse']);
    expect(warnings[0]).to.include({
      _id: `warn:650000000000000000000002:finalResponse:${at(-30 * 24 * HOUR)}`,
      template: 'deadlineWarning',
      recipientId: '650000000000000000000003',
      entrySeq: 7,
    });
  });

  it('warns about a clock shorter than twice the lead time at half time, and names an extended one apart', () => {
    const short = soonCase(
      [{ kind: 'acknowledge', startedAt: at(-10 * HOUR), dueAt: at(14 * HOUR), status: 'running' }],
      new Date(at(14 * HOUR)),
    );
    expect(warningsFor(short, now, 24 * HOUR, messageIdFor)).to.have.length(0);
    const halfway = soonCase(
      [{ kind: 'acknowledge', startedAt: at(-13 * HOUR), dueAt: at(11 * HOUR), status: 'running' }],
      new Date(at(11 * HOUR)),
    );
    expect(warningsFor(halfway, now, 24 * HOUR, messageIdFor)).to.have.length(1);
    const extended = soonCase(
      [
        {
          kind: 'finalResponse',
          startedAt: at(-HOUR * 100),
          dueAt: at(HOUR),
          status: 'running',
          extended: true,
        },
      ],
      new Date(at(HOUR)),
    );
    expect(warningsFor(extended, now, 24 * HOUR, messageIdFor)[0]!._id).to.match(/:extended$/);
  });

  it('reads hour by hour, skips warnings already queued, and does nothing with no lead time', async () => {
    const record = soonCase(
      [
        {
          kind: 'finalResponse',
          startedAt: at(-30 * 24 * HOUR),
          dueAt: at(2 * HOUR),
          status: 'running',
        },
      ],
      new Date(at(2 * HOUR)),
    );
    const askedHours: string[] = [];
    const queued: NewNotification[] = [];
    const taken = new Set<string>();
    const sweep = (leadMs: number) =>
      createDeadlineWarnings({
        reads: {
          assignedDueIn: async (hour) => {
            askedHours.push(hour);
            return hour === hourKey(now.getTime() + 2 * HOUR) ? [record] : [];
          },
          isQueued: async (id) => taken.has(id),
        },
        insertNotification: async (n) => {
          queued.push(n);
          taken.add(n._id);
          return true;
        },
        messageIdFor,
        clock: { now: () => now },
        leadMs,
      });

    expect(await sweep(0)()).to.equal(0);
    expect(askedHours).to.have.length(0);
    expect(await sweep(4 * HOUR)()).to.equal(1);
    expect(askedHours).to.have.length(5);
    expect(await sweep(4 * HOUR)()).to.equal(0);
    expect(queued).to.have.length(1);
  });
});
