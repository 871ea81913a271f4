import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { Types, type Connection } from 'mongoose';
import { DEFAULT_POLICY, type WorkflowPolicy } from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import { createCaseBulkReads } from '../cases/export-reads.ts';
import { createDeliveryReads } from '../notifications/read-models.ts';
import { caseSource } from './source.ts';
import { CONTENT_TYPES, DigestStream, encoderStages } from './encoders.ts';
import type { ExportModel, ExportRecord } from './model.ts';
import type { ExportFilters, ExportFormat, ExportView, ListExportsQuery } from './schemas.ts';

export interface ExportServiceDeps {
  connection: Connection;
  exports: ExportModel;
  clock: Clock;
  /** The rules each case's timeliness is judged by: the cases module's (the default policy). */
  policy?: WorkflowPolicy;
}

export type ExportService = ReturnType<typeof createExportService>;

/** Who asked for an export: a signed-in compliance user, or an operator at the command line. */
export interface Exporter {
  id: string;
  role: string;
  email: string | null;
}

export interface ExportOutcome {
  id: string;
  status: 'completed' | 'aborted';
  cases: number;
  bytes: number;
  sha256: string;
  error: string | null;
  durationMs: number;
}

export interface ExportRun {
  id: string;
  format: ExportFormat;
  contentType: string;
  filename: string;
  /**
   * Streams the export into `sink` and records how it ended. Resolves with the outcome, also
   * when the receiver went away half-way (`aborted`); rejects only when the export itself
   * failed (the database), after recording that too.
   */
  run(
    sink: Writable,
    options?: {
      onCase?: (count: number) => void;
      /** Called with the digest just before the sink is ended (HTTP trailers). */
      beforeEnd?: (sha256: string) => void;
      /** False for sinks that must stay open, such as process.stdout. */
      endSink?: boolean;
    },
  ): Promise<ExportOutcome>;
}

function toView(record: ExportRecord): ExportView {
  return {
    id: record._id.toHexString(),
    by: record.by,
    via: record.via,
    format: record.format,
    filters: record.filters,
    status: record.status,
    cases: record.cases,
    bytes: record.bytes,
    sha256: record.sha256,
    error: record.error,
    startedAt: record.startedAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}

/** The receiver closed the stream: nothing is wrong with the export itself. */
function receiverWentAway(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE' || code === 'ECONNRESET';
}

function definedFilters(filters: ExportFilters): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

export function createExportService(deps: ExportServiceDeps) {
  const { connection, exports, clock } = deps;
  /** The read models of the cases and notifications modules, on the connection as it is now. */
  const reads = () => {
    if (!connection.db) throw new Error('the database connection is not open');
    return {
      cases: createCaseBulkReads(connection.db),
      deliveries: createDeliveryReads(connection.db),
    };
  };

  return {
    /**
     * How many cases an export with these filters would contain, for progress bars. Without
     * filters the collection's own count answers at once; with filters FerretDB has to scan.
     */
    async count(filters: ExportFilters): Promise<number> {
      return reads().cases.count(filters);
    },

    /**
     * Records the start of an export and returns how to run it. The record exists before the
     * first byte leaves, so even an export cut off by a crash leaves a trace (`running`).
     */
    async begin(
      by: Exporter,
      via: 'api' | 'cli',
      format: ExportFormat,
      filters: ExportFilters,
    ): Promise<ExportRun> {
      const startedAt = clock.now();
      const id = new Types.ObjectId();
      await exports.collection.insertOne({
        _id: id,
        by,
        via,
        format,
        filters: definedFilters(filters),
        status: 'running',
        cases: 0,
        bytes: 0,
        sha256: null,
        error: null,
        startedAt,
        finishedAt: null,
      } as never);
      const started = performance.now();
      const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
      return {
        id: id.toHexString(),
        format,
        contentType: CONTENT_TYPES[format],
        filename: `redress-cases-${stamp}.${format}`,
        async run(sink, options = {}) {
          const digest = new DigestStream(options.beforeEnd);
          let cases = 0;
          const timeliness = {
            policy: deps.policy ?? DEFAULT_POLICY,
            asOf: startedAt.toISOString(),
          };
          const source = caseSource({ ...reads(), timeliness }, filters, (count) => {
            cases = count;
            options.onCase?.(count);
          });
          let failure: unknown;
          try {
            await pipeline([source, ...encoderStages(format), digest, sink], {
              end: options.endSink ?? true,
            });
          } catch (error) {
            failure = error;
          }
          const finishedAt = clock.now();
          const outcome: ExportOutcome = {
            id: id.toHexString(),
            status: failure ? 'aborted' : 'completed',
            cases,
            bytes: digest.bytes,
            sha256: digest.digest(),
            error: failure
              ? receiverWentAway(failure)
                ? 'the receiver closed the stream before the end'
                : failure instanceof Error
                  ? failure.message
                  : String(failure)
              : null,
            durationMs: Math.round(performance.now() - started),
          };
          await exports.collection.updateOne({ _id: id }, {
            $set: {
              status: outcome.status,
              cases: outcome.cases,
              bytes: outcome.bytes,
              sha256: outcome.sha256,
              error: outcome.error,
              finishedAt,
            },
          } as never);
          if (failure && !receiverWentAway(failure)) throw failure;
          return outcome;
        },
      };
    },

    /** The export records, newest first, by cursor. */
    async list(
      query: ListExportsQuery,
    ): Promise<{ items: ExportView[]; nextCursor: string | null }> {
      const filter = query.cursor ? { _id: { $lt: new Types.ObjectId(query.cursor) } } : {};
      const rows = await exports
        .find(filter)
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<ExportRecord[]>();
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(toView),
        nextCursor: rows.length > query.limit ? page.at(-1)!._id.toHexString() : null,
      };
    },
  };
}
