import type { Db } from 'mongodb';
import { isDuplicateKey } from '../http/problem.ts';

/**
 * Reserves `count` case references for `year` in one round of inserts, for bulk imports.
 *
 * The same scheme as `nextReference` in server/cases/model.ts, in bulk: a reference belongs to
 * whoever inserts it as an `_id` into `case_references` (atomic on MongoDB and FerretDB), the
 * per-year counter in `counters` is only a hint of where to start, raised with `$max`. Numbers
 * a concurrent filer took in the meantime are skipped (references tolerate gaps).
 */
export async function reserveReferences(db: Db, year: number, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const counterId = `case-reference-${year}`;
  const counters = db.collection<{ _id: string; seq: number }>('counters');
  const claims = db.collection<{ _id: string }>('case_references');
  const hint = await counters.findOne({ _id: counterId });
  let next = (hint?.seq ?? 0) + 1;
  const reserved: string[] = [];
  for (let round = 0; reserved.length < count; round++) {
    if (round > 1000) throw new Error(`could not reserve ${count} references for ${year}`);
    const candidates = Array.from(
      { length: count - reserved.length },
      (_, i) => `RD-${year}-${String(next + i).padStart(6, '0')}`,
    );
    next += candidates.length;
    try {
      await claims.insertMany(
        candidates.map((_id) => ({ _id })),
        { ordered: false },
      );
      reserved.push(...candidates);
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { index: number; code?: number }[] })
        .writeErrors;
      if (!isDuplicateKey(error) || !writeErrors || writeErrors.some((w) => w.code !== 11000)) {
        throw error;
      }
      const taken = new Set(writeErrors.map((w) => w.index));
      reserved.push(...candidates.filter((_, index) => !taken.has(index)));
    }
  }
  await counters.updateOne({ _id: counterId }, { $max: { seq: next - 1 } }, { upsert: true });
  return reserved;
}
