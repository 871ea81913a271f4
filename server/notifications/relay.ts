import type { CaseChangeModel, CaseChangeRecord } from '../cases/journal.ts';
import type { InsertNotification, MessageIdFor, NewNotification } from './queue.ts';

/** A relay run goes through at most this many batches, so one run cannot go on forever. */
const MAX_BATCHES_PER_RUN = 10;

/** The journal seen as an outbox: entries not relayed yet, and the flag that marks them. */
export interface Outbox {
  pending(limit: number): Promise<CaseChangeRecord[]>;
  markRelayed(change: CaseChangeRecord): Promise<void>;
}

/**
 * Both conditions are equality, which FerretDB hands to PostgreSQL; `relayed: false` holds
 * only the few entries since the last run, so sorting and limiting them in FerretDB is cheap.
 *
 * Only entries already counted (server/cases/queue-counts.ts) are relayed. FerretDB writes an
 * update as the whole document it read, so `relayed: true` written while the count's mark was
 * writing `counted: true` to the same entry could put `counted` back to false, and the repair
 * pass would then count the change a second time (found by the fault run: one assignment
 * counted twice). Taken after the mark, the relay reads `counted: true` and writes it back.
 * The count is folded before the change is answered, so this holds no email back; entries from
 * before the field existed have none and are relayed.
 */
export function journalOutbox(changes: CaseChangeModel): Outbox {
  return {
    pending: (limit) =>
      changes
        .find({ relayed: false, applied: true, counted: { $ne: false } })
        .sort({ at: 1 })
        .limit(limit)
        .lean<CaseChangeRecord[]>(),
    async markRelayed(change) {
      await changes.collection.updateOne({ _id: change._id } as never, {
        $set: { relayed: true },
      });
    },
  };
}

/** The notifications one journal entry asks for, as the queue stores them. */
export function notificationsOf(change: CaseChangeRecord, messageIdFor: MessageIdFor) {
  const caseId = change.caseId.toHexString();
  return change.notifications.map((item): NewNotification => {
    const created = new Date(item.createdAt);
    return {
      _id: item.id,
      caseId: change.caseId,
      caseVersion: change.version,
      entrySeq: item.entrySeq,
      template: item.template,
      recipientId: item.recipientId,
      messageId: messageIdFor(caseId, `${item.entrySeq}.${item.template}`, item.recipientId),
      deadline: null,
      createdAt: created,
      nextAttemptAt: created,
    };
  });
}

/**
 * Copies the outbox items of applied, not yet relayed journal entries into `notifications`.
 * The item id becomes the notification `_id`, so a second relayer (another instance, or this
 * one after a crash between the inserts and the flag) only meets duplicate keys. An entry is
 * committed once inserted (the version claim), so every entry is relayed.
 */
export function createRelay(deps: {
  outbox: Outbox;
  insertNotification: InsertNotification;
  messageIdFor: MessageIdFor;
}) {
  const { outbox, insertNotification, messageIdFor } = deps;

  /** Copies one journal entry's items, then marks it relayed; returns how many were new. */
  async function relayChange(change: CaseChangeRecord): Promise<number> {
    let relayed = 0;
    for (const notification of notificationsOf(change, messageIdFor)) {
      if (await insertNotification(notification)) relayed++;
    }
    // Only after every item is in: a crash before this line means a harmless second copy.
    await outbox.markRelayed(change);
    return relayed;
  }

  return async function relay(batchSize = 500): Promise<number> {
    let relayed = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const pending = await outbox.pending(batchSize);
      for (const change of pending) relayed += await relayChange(change);
      if (pending.length < batchSize) break;
    }
    return relayed;
  };
}
