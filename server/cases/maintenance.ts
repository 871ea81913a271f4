import type { Types } from 'mongoose';
import { upsertOne } from '../db/duplicate-key.ts';
import { dueDayOf, dueHourOf, hourBuckets, listingFields } from './derived.ts';
import type { CaseModel, CaseRecord, CounterModel } from './model.ts';
import type { CaseReadModels } from './read-models.ts';

/** The deadline sweeper's work list: cases due by now, by equality on their due hour. */
export function createDueCaseFinder(deps: { cases: CaseModel; counters: CounterModel }) {
  const { cases, counters } = deps;

  /**
   * Cases with a deadline due by `now`, read hour bucket by hour bucket (equality on `dueHour`)
   * from the oldest hour that may still hold one: the hour the last complete sweep reached,
   * kept in `counters`. Losing that update to a concurrent sweeper only means re-reading a few
   * empty hours. Without one (a new database), every hour from the oldest running deadline.
   */
  async function find(now: Date, batchSize: number): Promise<{ _id: Types.ObjectId }[]> {
    const checkpointId = 'deadline-sweep-hour';
    const checkpoint = await counters.findById(checkpointId).lean<{ seq: number }>();
    let fromHour = checkpoint?.seq;
    if (fromHour === undefined) {
      // Once per database: the only range query over cases, to find where to begin.
      const oldest = await cases
        .find({ nextDueAt: { $ne: null } }, { nextDueAt: 1 })
        .sort({ nextDueAt: 1 })
        .limit(1)
        .lean<{ nextDueAt: Date }[]>();
      fromHour = Math.floor((oldest[0]?.nextDueAt ?? now).getTime() / 3_600_000);
    }
    const due: { _id: Types.ObjectId; nextDueAt: Date }[] = [];
    let complete = true;
    for (const hour of hourBuckets(new Date(fromHour * 3_600_000), now)) {
      const found = await cases
        .find({ dueHour: hour }, { _id: 1, nextDueAt: 1 })
        .lean<{ _id: Types.ObjectId; nextDueAt: Date | null }[]>();
      for (const item of found) {
        if (item.nextDueAt && item.nextDueAt.getTime() <= now.getTime()) {
          due.push({ _id: item._id, nextDueAt: item.nextDueAt });
        }
      }
      if (due.length >= batchSize) {
        complete = false;
        break;
      }
    }
    if (complete) {
      // Everything before the current hour is swept; the current hour is read again next time.
      await upsertOne(counters.collection, { _id: checkpointId } as never, {
        $set: { seq: Math.floor(now.getTime() / 3_600_000) },
      });
    }
    return due.sort((a, b) => a.nextDueAt.getTime() - b.nextDueAt.getTime()).slice(0, batchSize);
  }

  return { find };
}

/** One-time passes that bring a database written by an older version up to date. */
export function createReadModelMigrations(deps: {
  cases: CaseModel;
  counters: CounterModel;
  readModels: CaseReadModels;
}) {
  const { cases, counters, readModels } = deps;

  /**
   * Cases stored by a version before the listing fields existed are invisible to lists until
   * they get them: one pass over all cases (the only scan, once per database, marked done in
   * `counters`).
   */
  async function backfillListingFields(): Promise<number> {
    const updated = (await backfillPlacements()) + (await backfillDueDays());
    await recountOnce();
    return updated;
  }

  async function backfillPlacements(): Promise<number> {
    const marker = 'migration-listing-fields-1';
    if (await counters.findById(marker).lean()) return 0;
    let updated = 0;
    const stale = cases
      .find({ refKey: { $exists: false } }, { timeline: 0 })
      .lean<CaseRecord[]>()
      .cursor();
    for await (const record of stale) {
      await readModels.writeFor([record]);
      await cases.collection.updateOne({ _id: record._id }, {
        $set: {
          ...listingFields(record),
          dueHour: dueHourOf(record.nextDueAt),
          dueDay: dueDayOf(record.nextDueAt),
        },
      } as never);
      updated++;
    }
    await upsertOne(counters.collection, { _id: marker } as never, { $set: { seq: updated } });
    return updated;
  }

  /**
   * Cases stored before `dueDay` existed are missing from the time-left order until they get
   * it: one pass, once per database, like the one above.
   */
  async function backfillDueDays(): Promise<number> {
    const marker = 'migration-due-day-1';
    if (await counters.findById(marker).lean()) return 0;
    let updated = 0;
    const stale = cases
      .find({ dueDay: { $exists: false } }, { nextDueAt: 1 })
      .lean<Pick<CaseRecord, '_id' | 'nextDueAt'>[]>()
      .cursor();
    for await (const record of stale) {
      await cases.collection.updateOne({ _id: record._id }, {
        $set: { dueDay: dueDayOf(record.nextDueAt) },
      } as never);
      updated++;
    }
    await upsertOne(counters.collection, { _id: marker } as never, { $set: { seq: updated } });
    return updated;
  }

  /**
   * Queue counts start from one count of every case, the first time a database is opened by a
   * version that keeps them (a scan, once, marked in `counters`); from then on they move with
   * each change.
   */
  async function recountOnce(): Promise<void> {
    const marker = 'migration-queue-counts-3';
    if (await counters.findById(marker).lean()) return;
    // Counts kept by an older version count other things: start from nothing.
    await readModels.counts.clear();
    const all = cases
      .find(
        {},
        {
          state: 1,
          phase: 1,
          open: 1,
          assigned: 1,
          assigneeId: 1,
          overdue: 1,
          urgent: 1,
          category: 1,
          jurisdiction: 1,
          dueDay: 1,
        },
      )
      .lean<CaseRecord[]>()
      .cursor();
    const batch: CaseRecord[] = [];
    for await (const record of all) {
      batch.push(record);
      if (batch.length >= 1000) await readModels.countCreated(batch.splice(0));
    }
    await readModels.countCreated(batch);
    await upsertOne(counters.collection, { _id: marker } as never, { $set: { seq: 1 } });
  }

  return { backfillListingFields };
}
