import { z } from 'zod';

/** What `npm run backup` writes first into its archive, and `npm run restore` checks against. */
export const BACKUP_FORMAT = 'redress-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
// Archive paths are relative, forward-slashed and never climb out of the restore folder.
const PartPath = z
  .string()
  .regex(/^(db|evidence)\/[\w.\-/]+$/)
  .refine((path) => !path.split('/').includes('..'), 'no .. in archive paths');

export const BackupPart = z.strictObject({
  path: PartPath,
  bytes: z.number().int().nonnegative(),
  sha256: Sha256,
  /** For a collection's dump: its name and how many documents it holds. */
  collection: z.string().min(1).optional(),
  documents: z.number().int().nonnegative().optional(),
});
export type BackupPart = z.infer<typeof BackupPart>;

export const BackupManifest = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  redressVersion: z.string(),
  createdAt: z.iso.datetime(),
  /** Where the data came from, without credentials. */
  source: z.string(),
  evidenceStorage: z.enum(['fs', 'gridfs']),
  parts: z.array(BackupPart),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/**
 * The dump order. The journal comes after the cases so that a backup taken while Redress
 * writes holds every change a case already shows, and at most some not yet rolled forward,
 * which the server rolls forward at start. Collections not named here follow, by name.
 */
export const DUMP_FIRST = ['users', 'counters', 'case_references', 'cases', 'case_changes'];

export function dumpOrder(collections: string[]): string[] {
  const rank = (name: string) => {
    const index = DUMP_FIRST.indexOf(name);
    return index < 0 ? DUMP_FIRST.length : index;
  };
  return [...collections].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
