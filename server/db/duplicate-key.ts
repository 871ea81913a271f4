/** MongoDB's error code for a write that violates a unique index. */
const DUPLICATE_KEY = 11000;

/** Whether a driver or mongoose error is a unique-index violation (code 11000). */
export function isDuplicateKey(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === DUPLICATE_KEY
  );
}

/**
 * The indexes of the documents an unordered insertMany refused, when every refusal is a
 * duplicate key; undefined for any other error (including a bulk error with other causes).
 */
export function duplicateKeyIndexes(error: unknown): number[] | undefined {
  if (!isDuplicateKey(error)) return undefined;
  const writeErrors = (error as { writeErrors?: { index: number; code?: number }[] }).writeErrors;
  if (!writeErrors || writeErrors.some((w) => w.code !== DUPLICATE_KEY)) return undefined;
  return writeErrors.map((w) => w.index);
}

interface Upsertable {
  updateOne(filter: object, update: object, options?: { upsert?: boolean }): Promise<unknown>;
}

/**
 * An upsert that two writers may run at once: both may try the insert (FerretDB and MongoDB
 * alike), and the loser's duplicate-key error means the document exists now, so its update
 * is applied to it instead.
 */
export async function upsertOne(
  collection: Upsertable,
  filter: object,
  update: object,
): Promise<void> {
  try {
    await collection.updateOne(filter, update, { upsert: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await collection.updateOne(filter, update);
  }
}

interface BulkInsertable {
  insertMany(docs: never[], options: { ordered: false }): Promise<unknown>;
}

/**
 * Inserts `docs` unordered and returns the indexes refused as duplicates (documents a
 * concurrent or earlier run already wrote); any other error throws.
 */
export async function insertManyTolerating(
  collection: BulkInsertable,
  docs: readonly object[],
): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (error) {
    const duplicates = duplicateKeyIndexes(error);
    if (!duplicates) throw error;
    return new Set(duplicates);
  }
}
