import type { Clock } from '../clock.ts';
import type { CaseModel, CaseRecord } from '../cases/model.ts';
import { hourIndex, hourKeys } from '../hour-buckets.ts';
import type { NotificationModel } from './model.ts';
import type { InsertNotification, MessageIdFor, NewNotification } from './queue.ts';

/** What the sweep reads of a case whose next deadline is near. */
export type SoonCase = Pick<
  CaseRecord,
  '_id' | 'deadlines' | 'assigneeId' | 'version' | 'nextDueAt'
>;

/** The reads the sweep makes: assigned cases due in one hour bucket, and taken warning ids. */
export interface WarningReads {
  assignedDueIn(hour: string): Promise<SoonCase[]>;
  isQueued(id: string): Promise<boolean>;
}

/**
 * Hour by hour by equality (`dueHour`, and `assigned` because `assigneeId: {$ne: null}` is not
 * pushed down): PostgreSQL answers each from its indexes, where a range on `nextDueAt` made
 * FerretDB decode every case. One `_id` lookup per warning: an `$in` is not pushed down and
 * would decode every notification.
 */
export function warningReads(cases: CaseModel, notifications: NotificationModel): WarningReads {
  return {
    assignedDueIn: (hour) =>
      cases
        .find(
          { dueHour: hour, assigned: true },
          { deadlines: 1, assigneeId: 1, version: 1, nextDueAt: 1 },
        )
        .lean<SoonCase[]>(),
    isQueued: async (id) => (await notifications.exists({ _id: id })) !== null,
  };
}

/**
 * The warnings one case is owed now: one per running deadline due within the lead time. A
 * clock shorter than twice the lead time (a 24-hour acknowledgement) is warned about at half
 * time, not the moment it starts; a clock moved by a holding response is a new deadline.
 */
export function warningsFor(
  record: SoonCase,
  now: Date,
  leadMs: number,
  messageIdFor: MessageIdFor,
): NewNotification[] {
  const caseId = record._id.toHexString();
  const wanted: NewNotification[] = [];
  for (const deadline of record.deadlines) {
    if (deadline.status !== 'running' || !deadline.dueAt) continue;
    const dueAt = Date.parse(deadline.dueAt);
    const lead = Math.min(leadMs, (dueAt - Date.parse(deadline.startedAt)) / 2);
    if (dueAt <= now.getTime() || dueAt - now.getTime() > lead) continue;
    const key = `${deadline.kind}:${deadline.startedAt}${deadline.extended ? ':extended' : ''}`;
    const recipientId = record.assigneeId!.toHexString();
    wanted.push({
      _id: `warn:${caseId}:${key}`,
      caseId: record._id,
      caseVersion: record.version,
      // Entry seq equals case version: the warning follows the case's latest entry.
      entrySeq: record.version,
      template: 'deadlineWarning',
      recipientId,
      messageId: messageIdFor(
        caseId,
        `warn.${deadline.kind}.${Date.parse(deadline.startedAt)}${deadline.extended ? '.x' : ''}`,
        recipientId,
      ),
      deadline: { kind: deadline.kind, startedAt: deadline.startedAt, dueAt: deadline.dueAt },
      createdAt: now,
      nextAttemptAt: now,
    });
  }
  return wanted;
}

/**
 * Warns the assignee of each running deadline that falls due within the lead time, once per
 * deadline: the notification `_id` is `warn:<caseId>:<kind>:<startedAt>`, so the insert is the
 * claim and a second sweep (or instance) finds it taken. Unassigned cases are looked at again
 * on the next sweep, so a case assigned inside the lead time still gets its warning. A warning
 * that is no longer true when it is sent (the clock stopped) is skipped by the dispatcher.
 */
export function createDeadlineWarnings(deps: {
  reads: WarningReads;
  insertNotification: InsertNotification;
  messageIdFor: MessageIdFor;
  clock: Clock;
  /** 0 turns deadline warnings off. */
  leadMs: number;
}) {
  const { reads, insertNotification, messageIdFor, clock, leadMs } = deps;

  /** Assigned cases whose next deadline falls in (now, horizon], soonest first. */
  async function casesDueSoon(now: Date, limit: number): Promise<SoonCase[]> {
    const horizon = new Date(now.getTime() + leadMs);
    const soon: SoonCase[] = [];
    for (const hour of hourKeys(hourIndex(now), hourIndex(horizon))) {
      // The exact window is checked here, as the range did.
      for (const record of await reads.assignedDueIn(hour)) {
        const next = record.nextDueAt?.getTime();
        if (next === undefined || next <= now.getTime() || next > horizon.getTime()) continue;
        if (record.assigneeId) soon.push(record);
      }
      if (soon.length >= limit) break;
    }
    soon.sort((a, b) => a.nextDueAt!.getTime() - b.nextDueAt!.getTime()).splice(limit);
    return soon;
  }

  return async function sweepDeadlineWarnings(limit = 500): Promise<number> {
    if (leadMs <= 0) return 0;
    const now = clock.now();
    const soon = await casesDueSoon(now, limit);
    const wanted = soon.flatMap((record) => warningsFor(record, now, leadMs, messageIdFor));
    if (!wanted.length) return 0;
    // A read spares an insert (and its duplicate-key error) per warned case per sweep.
    const taken = await Promise.all(wanted.map((w) => reads.isQueued(w._id)));
    let warned = 0;
    for (const [index, warning] of wanted.entries()) {
      if (!taken[index] && (await insertNotification(warning))) warned++;
    }
    return warned;
  };
}
