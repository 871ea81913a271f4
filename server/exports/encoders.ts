import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { stringify } from 'csv-stringify';
import { canonicalJson } from '../canonical-json.ts';
import type { ExportedCase } from './document.ts';
import type { ExportFormat } from './schemas.ts';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** One case per line; JSON escapes every newline inside strings, so a line is a case. */
export function ndjsonEncoder(): Transform {
  return new Transform({
    writableObjectMode: true,
    transform(exported: ExportedCase, _encoding, done: TransformCallback) {
      done(null, `${JSON.stringify(exported)}\n`);
    },
  });
}

/** CSV columns: the case's columns, repeated on every row, then one timeline entry. */
export const CSV_COLUMNS = [
  'case_id',
  'reference',
  'state',
  'category',
  'urgent',
  'jurisdiction',
  'consumer_body',
  'locale',
  'channel',
  'respondent_name',
  'respondent_kind',
  'transaction_occurred_at',
  'transaction_reference',
  'amount_minor',
  'currency',
  'narrative',
  'desired_outcome',
  'owner_id',
  'assignee_id',
  'overdue',
  'filed_at',
  'updated_at',
  'evidence_count',
  'notification_count',
  'timely',
  'body_clocks',
  'entry_seq',
  'entry_at',
  'entry_type',
  'actor_id',
  'actor_role',
  'from_state',
  'to_state',
  'entry_data',
  'prev_hash',
  'hash',
] as const;
export type CsvRow = Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>;

/** The CSV rows of one case: one per timeline entry (one row with empty entry cells if none). */
export function csvRows(exported: ExportedCase): CsvRow[] {
  const caseColumns = {
    case_id: exported.id,
    reference: exported.reference,
    state: exported.state,
    category: exported.category,
    urgent: exported.urgent,
    jurisdiction: exported.jurisdiction,
    consumer_body: exported.consumerBody,
    locale: exported.locale,
    channel: exported.channel,
    respondent_name: exported.respondent?.name ?? null,
    respondent_kind: exported.respondent?.kind ?? null,
    transaction_occurred_at: exported.transaction.occurredAt,
    transaction_reference: exported.transaction.reference ?? null,
    amount_minor: exported.transaction.amount?.amountMinor ?? null,
    currency: exported.transaction.amount?.currency ?? null,
    narrative: exported.narrative,
    desired_outcome: exported.desiredOutcome,
    owner_id: exported.ownerId,
    assignee_id: exported.assigneeId,
    overdue: exported.overdue,
    filed_at: exported.filedAt,
    updated_at: exported.updatedAt,
    evidence_count: exported.evidenceCount,
    notification_count: exported.notifications.length,
    // true / false, empty while a platform clock still runs (the CFPB's "timely response").
    timely: exported.timeliness.timely,
    body_clocks: canonicalJson(
      exported.timeliness.bodyClocks.map(({ key, status, dueAt }) => ({ key, status, dueAt })),
    ),
  };
  if (exported.timeline.length === 0) {
    return [
      {
        ...caseColumns,
        entry_seq: null,
        entry_at: null,
        entry_type: null,
        actor_id: null,
        actor_role: null,
        from_state: null,
        to_state: null,
        entry_data: null,
        prev_hash: null,
        hash: null,
      },
    ];
  }
  return exported.timeline.map((entry) => ({
    ...caseColumns,
    entry_seq: entry.seq,
    entry_at: entry.at,
    entry_type: entry.type,
    actor_id: entry.actor?.id ?? null,
    actor_role: entry.actor?.role ?? null,
    from_state: entry.fromState,
    to_state: entry.toState,
    // The hashed form, so a reader can recompute the chain from the CSV too.
    entry_data: canonicalJson(entry.data ?? {}),
    prev_hash: entry.prevHash,
    hash: entry.hash,
  }));
}

/**
 * Cases in, CSV bytes out, through csv-stringify (quoting of commas, quotes and newlines in
 * narratives is the library's job, not ours). `escape_formulas` prefixes `'` to any text cell
 * that starts with `= + - @`, a tab or a carriage return (and their full-width forms), so a
 * narrative such as `=HYPERLINK(...)` stays text when a spreadsheet opens the file. Numbers
 * are left alone. The BOM makes Excel read the file as UTF-8, so Chinese text is not garbled.
 */
export function csvEncoder(): Transform[] {
  const toRows = new Transform({
    objectMode: true,
    transform(exported: ExportedCase, _encoding, done: TransformCallback) {
      for (const row of csvRows(exported)) this.push(row);
      done();
    },
  });
  const stringifier = stringify({
    header: true,
    bom: true,
    columns: [...CSV_COLUMNS],
    escape_formulas: true,
    cast: { boolean: (value: boolean) => (value ? 'true' : 'false') },
  });
  return [toRows, stringifier];
}

/** The stages that turn a stream of exported cases into the bytes of `format`. */
export function encoderStages(format: ExportFormat): Transform[] {
  return format === 'csv' ? csvEncoder() : [ndjsonEncoder()];
}

/** Passes bytes through unchanged while counting them and hashing them (sha256). */
export class DigestStream extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;

  /** `beforeEnd` gets the final digest once all bytes passed, before the sink is ended. */
  constructor(private readonly beforeEnd?: (sha256: string) => void) {
    super();
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, done: TransformCallback) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this.hash.update(buffer);
    this.bytes += buffer.length;
    done(null, buffer);
  }

  override _flush(done: TransformCallback) {
    this.beforeEnd?.(this.digest());
    done();
  }

  /** The hex digest of everything that passed so far (also of a cut-off stream). */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}
