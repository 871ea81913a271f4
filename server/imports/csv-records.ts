// Splitting a CSV file into records, so that one broken record costs one record.
//
// csv-parse parses a whole stream, and with `skip_records_with_error` it skips a bad record,
// but after an invalid closing quote (`"5"x`) it stays "inside quotes" and silently swallows
// the following good records up to the end of the file (checked with csv-parse 6.2). So the
// file is first cut into records by a small, lenient RFC 4180 state machine (below), and each
// record is then parsed strictly by csv-parse on its own: its errors (wrong quoting, wrong
// number of fields) are that record's alone, reported with its line number, and the next
// record starts clean. Quoted fields may hold commas, quotes ("") and newlines, as the CFPB
// narratives do; the line number is where the record starts.
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse } from 'csv-parse/sync';

export interface RawRecord {
  /** 1-based line where the record starts. */
  line: number;
  /** 1-based line where it ends (records with quoted newlines span several). */
  endLine: number;
  text: string;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/**
 * Yields the records of a CSV byte stream: a newline ends a record unless it is inside a
 * quoted field. A quote inside an unquoted field is taken literally, and a closing quote
 * followed by anything but a delimiter ends the quoting, so a broken record never runs into
 * the next one. A BOM is dropped; blank lines are skipped; CRLF is accepted.
 */
export async function* csvRecords(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  onBytes: (bytes: number) => void = () => {},
): AsyncGenerator<RawRecord> {
  const decoder = new StringDecoder('utf8');
  let state = State.FieldStart;
  let record = '';
  let line = 1;
  let startLine = 1;
  let first = true;

  const finish = (text: string): RawRecord | null => {
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    return trimmed.trim() === '' ? null : { line: startLine, endLine: line, text: trimmed };
  };

  for await (const chunk of input) {
    onBytes(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) {
        if (state === State.Quoted) {
          line++;
          continue;
        }
        const done = finish(record + text.slice(from, i));
        if (done) yield done;
        record = '';
        from = i + 1;
        line++;
        startLine = line;
        state = State.FieldStart;
        continue;
      }
      switch (state) {
        case State.FieldStart:
          state =
            c === 34 /* " */ ? State.Quoted : c === 44 /* , */ ? State.FieldStart : State.Unquoted;
          break;
        case State.Unquoted:
          if (c === 44) state = State.FieldStart;
          break;
        case State.Quoted:
          if (c === 34) state = State.QuoteInQuoted;
          break;
        case State.QuoteInQuoted:
          // "" is an escaped quote; `",` ends the field; `"\r` waits for the \n; else broken.
          state =
            c === 34
              ? State.Quoted
              : c === 44
                ? State.FieldStart
                : c === 13
                  ? State.QuoteInQuoted
                  : State.Unquoted;
          break;
      }
    }
    record += text.slice(from);
  }
  record += decoder.end();
  const last = finish(record);
  if (last) yield last;
}

/** Why a record could not be read, in words an operator can act on. */
function describeCsvError(error: CsvError, record: RawRecord, expected: number): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return record.endLine > record.line
        ? `a quoted field opened on this line is never closed, so lines ${record.line}–${record.endLine} (the rest of the file) could not be read`
        : 'a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'broken quoting: a closing quote is followed by other text instead of a comma or the end of the line';
    case 'INVALID_OPENING_QUOTE':
      return 'broken quoting: a quote appears inside an unquoted field (quote the field and double the quote)';
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return `expected ${expected} fields, found ${(error as CsvError & { record?: unknown[] }).record?.length ?? 'a different number'}`;
    default:
      return error.message.replace(/ at line \d+.*$/, '');
  }
}

export type ParsedRecord = { ok: true; fields: string[] } | { ok: false; problem: string };

/** Parses one framed record strictly; `expected` is the header's number of fields. */
export function parseRecord(record: RawRecord, expected: number | null): ParsedRecord {
  let rows: string[][];
  try {
    rows = parse(record.text, { relax_column_count: false }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      return { ok: false, problem: describeCsvError(error, record, expected ?? 0) };
    }
    throw error;
  }
  const fields = rows[0] ?? [];
  if (rows.length !== 1) return { ok: false, problem: 'the line holds more than one record' };
  if (expected !== null && fields.length !== expected) {
    return {
      ok: false,
      problem: `expected ${expected} fields (one per column of the header), found ${fields.length}`,
    };
  }
  return { ok: true, fields };
}
