import { Types } from 'mongoose';
import { NO_DUE_HOUR, queueFilter, searchTerms, stateFilter, transactionKeyOf } from './derived.ts';
import { compareByDue, walkByDue, type DuePosition } from './due-order.ts';
import { COUNTED_FIELDS, fieldCounter } from './queue-counts.ts';
import { walkNewestFirst, type BucketProbe } from './listing.ts';
import type { CaseModel, CaseRecord, CaseTermsModel } from './model.ts';
import type { PageDirectory } from './pages.ts';
import type { ListCasesQuery, ListOrder } from './schemas.ts';
import { filedAtRange } from '../date-range.ts';

export interface CaseListerDeps {
  cases: CaseModel;
  terms: CaseTermsModel;
  directory: PageDirectory;
  /** The account id for an email, for `q=someone@example.com`; null when there is none. */
  userIdByEmail(email: string): Promise<string | null>;
  /** The counts kept with each change (queue-counts.ts), for choosing how to read a list. */
  counts(): Promise<Record<string, number>>;
}

/** A filter matching at most this many cases in all is read in one query and sorted here. */
const SMALL_SET = 64;

export interface Lister {
  id: string;
  role: string;
}

/** A bucket probe, or with a null field one over all buckets at once. */
type WholeOrBucketProbe = (
  field: Parameters<BucketProbe<CaseRecord>>[0] | null,
  bucket: string | null,
  cap: number,
) => Promise<CaseRecord[]>;

const REFERENCE = /^RD-\d{4}-\d{1,9}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** No filter can match: answers an empty page without a query. */
const NOTHING = Symbol('nothing');

/**
 * `GET /cases`: every filter becomes top-level equality on the case (pushed down to
 * PostgreSQL by FerretDB, an index on MongoDB), read bucket by bucket newest first
 * (listing.ts). Only the `filedAt` range is filtered by the database after the equality.
 */
export function createCaseLister(deps: CaseListerDeps) {
  const { cases, terms, directory } = deps;

  async function caseFilter(
    actor: Lister,
    query: ListCasesQuery,
  ): Promise<Record<string, unknown> | typeof NOTHING> {
    const filter: Record<string, unknown> = {};
    const set = (field: string, value: unknown): boolean => {
      if (field in filter && String(filter[field]) !== String(value)) return false;
      filter[field] = value;
      return true;
    };
    const wanted: [string, unknown][] = [];
    if (actor.role === 'complainant') wanted.push(['ownerId', new Types.ObjectId(actor.id)]);
    if (query.queue) {
      for (const [field, value] of Object.entries(queueFilter(query.queue, actor.id))) {
        wanted.push([field, field === 'assigneeId' ? new Types.ObjectId(String(value)) : value]);
      }
    }
    if (query.state) wanted.push(...Object.entries(stateFilter(query.state)));
    if (query.category) wanted.push(['category', query.category]);
    if (query.jurisdiction) wanted.push(['jurisdiction', query.jurisdiction]);
    if (query.overdue !== undefined) wanted.push(['overdue', query.overdue]);
    if (query.urgent !== undefined) wanted.push(['urgent', query.urgent]);
    if (query.open !== undefined) wanted.push(['open', query.open]);
    if (query.assignee === 'none') wanted.push(['assigned', false]);
    else if (query.assignee) {
      wanted.push([
        'assigneeId',
        new Types.ObjectId(query.assignee === 'me' ? actor.id : query.assignee),
      ]);
    }
    if (query.q && REFERENCE.test(query.q)) wanted.push(['reference', query.q.toUpperCase()]);
    else if (query.q && EMAIL.test(query.q)) {
      const owner = await deps.userIdByEmail(query.q.toLowerCase());
      if (!owner) return NOTHING;
      wanted.push(['ownerId', new Types.ObjectId(owner)]);
    }
    for (const [field, value] of wanted) if (!set(field, value)) return NOTHING;
    const range = filedAtRange(query.filedFrom, query.filedTo);
    if (range) filter.filedAt = range;
    return filter;
  }

  /**
   * At most how many cases `filter` matches, from the per-value counts: the smallest count
   * among its counted fields (1 for a reference). Undefined when no field of it is counted.
   */
  async function matchEstimate(
    filter: Record<string, unknown>,
  ): Promise<{ matches: number; total: number } | undefined> {
    const counts = await deps.counts();
    const total = counts.total ?? 0;
    if ('reference' in filter) return { matches: 1, total };
    let matches: number | undefined;
    for (const field of COUNTED_FIELDS) {
      if (!(field in filter)) continue;
      const count = counts[fieldCounter(field, filter[field])] ?? 0;
      matches = matches === undefined ? count : Math.min(matches, count);
    }
    return matches === undefined ? undefined : { matches: Math.max(matches, 1), total };
  }

  /** Cases of `filter` in one bucket: one equality query. */
  function caseProbe(filter: Record<string, unknown>): WholeOrBucketProbe {
    return (field, bucket, cap) =>
      cases
        .find({ ...filter, ...(field ? { [field]: bucket } : {}) }, { timeline: 0 })
        .limit(cap)
        .lean<CaseRecord[]>();
  }

  /**
   * Cases whose terms hold every term of `q`, in one bucket: the longest term is the pushed
   * down equality (likely the rarest), the others are checked on the small terms documents;
   * the cases found are then read by `_id` with the other filters.
   */
  function termsProbe(filter: Record<string, unknown>, words: string[]): WholeOrBucketProbe {
    const [first, ...rest] = [...words].sort((a, b) => b.length - a.length) as [
      string,
      ...string[],
    ];
    return async (field, bucket, cap) => {
      const found = await terms
        .find(
          {
            terms: first,
            ...(field ? { [field]: bucket } : {}),
            ...(rest.length ? { $and: rest.map((term) => ({ terms: term })) } : {}),
          },
          { _id: 1, refKey: 1 },
        )
        .limit(cap)
        .lean<{ _id: Types.ObjectId; refKey: number }[]>();
      // Too many candidates: the walk reads this region finer; no case lookups wasted.
      if (cap > 0 && found.length >= cap) return found.map(() => null as unknown as CaseRecord);
      // Nothing else to check: the terms documents place the candidates, and only the page's
      // cases are read afterwards (see `list`).
      if (Object.keys(filter).length === 0) return found as unknown as CaseRecord[];
      const records = await Promise.all(
        found.map(({ _id }) =>
          cases.findOne({ _id, ...filter }, { timeline: 0 }).lean<CaseRecord>(),
        ),
      );
      return records.filter((record): record is CaseRecord => record !== null);
    };
  }

  type Page = { records: CaseRecord[]; nextCursor: string | null; order: ListOrder };
  const cursorOf = (page: CaseRecord[], more: boolean) =>
    more ? page.at(-1)!._id.toHexString() : null;

  /** A set small enough to read whole (`SMALL_SET`), newest first, as one page below `before`. */
  function pageOf(whole: CaseRecord[], query: ListCasesQuery, before: number | undefined): Page {
    const sorted = whole
      .filter((item) => before === undefined || item.refKey < before)
      .sort((a, b) => b.refKey - a.refKey);
    const page = sorted.slice(0, query.limit);
    return {
      records: page,
      nextCursor: cursorOf(page, sorted.length > query.limit),
      order: 'filed',
    };
  }

  /**
   * The cases whose transaction reference is `key`, by one equality query, or null when none
   * is (then `q` is searched as words). Cases filed before the key was stored, and words of
   * other narratives, are found by the word search only.
   */
  async function byTransaction(
    filter: Record<string, unknown>,
    key: string,
    query: ListCasesQuery,
    before: number | undefined,
  ): Promise<Page | null> {
    const found = await cases
      .find({ ...filter, transactionKey: key }, { timeline: 0 })
      .lean<CaseRecord[]>();
    return found.length ? pageOf(found, query, before) : null;
  }

  /** Newest first, by reference: the walk over the reference buckets. */
  async function byFiled(
    filter: Record<string, unknown>,
    query: ListCasesQuery,
    before: number | undefined,
    words: string[],
  ): Promise<Page> {
    const probe = words.length ? termsProbe(filter, words) : caseProbe(filter);
    // FerretDB decodes every case a filter matches, whatever the limit, so a filter known to
    // match a handful of cases in all (a reference, a rare state, an officer's few) is read
    // in one query and sorted here; one known to match more is read bucket by bucket, from
    // the density the counts give.
    const estimate = words.length ? undefined : await matchEstimate(filter);
    if (estimate !== undefined && estimate.matches <= SMALL_SET) {
      return pageOf(await probe(null, null, 0), query, before);
    }
    const density = estimate && estimate.total ? estimate.matches / estimate.total : undefined;
    const { items, stoppedEarly } = await walkNewestFirst(
      directory,
      probe as BucketProbe<CaseRecord>,
      query.limit + 1,
      before,
      density,
    );
    let page = items.slice(0, query.limit);
    const nextCursor = cursorOf(
      page,
      items.length > query.limit || (stoppedEarly && page.length > 0),
    );
    if (words.length && Object.keys(filter).length === 0) {
      // Search candidates placed by their terms alone: read just the cases shown.
      const read = await Promise.all(
        page.map(({ _id }) => cases.findOne({ _id }, { timeline: 0 }).lean<CaseRecord>()),
      );
      page = read.filter((record): record is CaseRecord => record !== null);
    }
    return { records: page, nextCursor, order: 'filed' };
  }

  /** Time left first (due-order.ts): the per-day counts place the walk. */
  async function byDue(
    filter: Record<string, unknown>,
    query: ListCasesQuery,
    after: DuePosition | undefined,
  ): Promise<Page> {
    const estimate = await matchEstimate(filter);
    const later = (item: CaseRecord) => !after || compareByDue(item, after) > 0;
    if (estimate !== undefined && estimate.matches <= SMALL_SET) {
      const sorted = (await caseProbe(filter)(null, null, 0)).filter(later).sort(compareByDue);
      const page = sorted.slice(0, query.limit);
      return {
        records: page,
        nextCursor: cursorOf(page, sorted.length > query.limit),
        order: 'due',
      };
    }
    const density = estimate && estimate.total ? estimate.matches / estimate.total : undefined;
    const read = (extra: Record<string, unknown>) =>
      cases.find({ ...filter, ...extra }, { timeline: 0 }).lean<CaseRecord[]>();
    const { items, stoppedEarly } = await walkByDue<CaseRecord>(
      {
        day: (dueDay) => read({ dueDay }),
        hour: (dueHour) => read({ dueHour }),
        undated: (want, before) =>
          walkNewestFirst(
            directory,
            caseProbe({ ...filter, dueDay: NO_DUE_HOUR }) as BucketProbe<CaseRecord>,
            want,
            before,
            density,
          ),
      },
      await deps.counts(),
      query.limit + 1,
      after,
      density,
    );
    const page = items.slice(0, query.limit);
    const more = items.length > query.limit || (stoppedEarly && page.length > 0);
    return { records: page, nextCursor: cursorOf(page, more), order: 'due' };
  }

  return {
    /** In the order `sort` asks for, by cursor; complainants only ever see their own cases. */
    async list(actor: Lister, query: ListCasesQuery): Promise<Page> {
      const words =
        query.q && !REFERENCE.test(query.q) && !EMAIL.test(query.q) ? searchTerms(query.q) : [];
      const order: ListOrder = query.sort === 'due' && !query.q ? 'due' : 'filed';
      const filter = await caseFilter(actor, query);
      if (filter === NOTHING) return { records: [], nextCursor: null, order };
      if (query.q && !REFERENCE.test(query.q) && !EMAIL.test(query.q) && words.length === 0) {
        return { records: [], nextCursor: null, order };
      }
      let at: Pick<CaseRecord, 'refKey' | 'nextDueAt'> | null = null;
      if (query.cursor) {
        at = await cases
          .findById(query.cursor, { refKey: 1, nextDueAt: 1 })
          .lean<Pick<CaseRecord, 'refKey' | 'nextDueAt'>>();
        if (!at) return { records: [], nextCursor: null, order };
      }
      if (order === 'due') {
        return byDue(
          filter,
          query,
          at ? { refKey: at.refKey, nextDueAt: at.nextDueAt ?? null } : undefined,
        );
      }
      const transactionKey = words.length ? transactionKeyOf(query.q) : null;
      if (transactionKey) {
        const found = await byTransaction(filter, transactionKey, query, at?.refKey);
        if (found) return found;
      }
      return byFiled(filter, query, at?.refKey, words);
    },
  };
}
export type CaseLister = ReturnType<typeof createCaseLister>;
