import mongoose, { type Connection, type Types } from 'mongoose';
import type { ExportFormat } from './schemas.ts';

/**
 * The audit record of one export: who took which cases, and a digest of exactly the bytes they
 * received. Written when the export starts (status `running`) and finished once the last byte
 * went out (`completed`) or the stream stopped early (`aborted`, with the reason). Only the
 * process running the export writes its record, so the update needs no version guard.
 */
export interface ExportRecord {
  _id: Types.ObjectId;
  by: { id: string; role: string; email: string | null };
  via: 'api' | 'cli';
  format: ExportFormat;
  filters: Record<string, string>;
  status: 'running' | 'completed' | 'aborted';
  cases: number;
  bytes: number;
  sha256: string | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const exportSchema = new mongoose.Schema<ExportRecord>(
  {
    by: { type: mongoose.Schema.Types.Mixed, required: true },
    via: { type: String, required: true },
    format: { type: String, required: true },
    filters: { type: mongoose.Schema.Types.Mixed, default: {} },
    status: { type: String, required: true },
    cases: { type: Number, default: 0 },
    bytes: { type: Number, default: 0 },
    sha256: { type: String, default: null },
    error: { type: String, default: null },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'exports', versionKey: false, minimize: false },
);

export function createExportModel(connection: Connection) {
  return connection.model<ExportRecord>('Export', exportSchema);
}
export type ExportModel = ReturnType<typeof createExportModel>;
