import { csrfHeaders, problemFrom, type ApiProblem, type Schemas } from '../../api/client';

export type EvidenceKind = Schemas['Evidence']['kind'];
export type UploadResult = Schemas['EvidenceUploaded'];

export const EVIDENCE_KINDS: readonly EvidenceKind[] = [
  'screenshot',
  'transaction_record',
  'chat_log',
  'bank_statement',
  'identity_document',
  'correspondence',
  'other',
];

// The server sniffs the bytes and is the authority (server/evidence/sniff.ts); these mirror
// its list so a refused file is explained before anything is sent.
const EXTENSIONS: Record<string, EvidenceKind> = {
  png: 'screenshot',
  jpg: 'screenshot',
  jpeg: 'screenshot',
  jfif: 'screenshot',
  webp: 'screenshot',
  gif: 'screenshot',
  pdf: 'transaction_record',
  csv: 'transaction_record',
  txt: 'other',
  text: 'other',
  log: 'other',
  eml: 'correspondence',
};

const MEDIA_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'application/pdf',
  'text/csv',
  'text/plain',
  'message/rfc822',
]);

/** image/* and PDF first, so a phone offers its camera and gallery as well as files. */
export const ACCEPT = 'image/*,application/pdf,text/plain,text/csv,message/rfc822,.csv,.txt,.eml';

/** The server's defaults (UPLOAD_MAX_FILE_BYTES, UPLOAD_MAX_FILES), until a case says otherwise. */
export const DEFAULT_LIMITS = { maxFileBytes: 20 * 1024 ** 2, maxFiles: 10 };

export type Refusal =
  | { reason: 'type'; name: string }
  | { reason: 'size'; name: string; limitBytes: number }
  | { reason: 'empty'; name: string }
  | { reason: 'count'; name: string; max: number };

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Why this file cannot be evidence, or null when the server is likely to take it. */
export function refusalOf(file: File, maxFileBytes = DEFAULT_LIMITS.maxFileBytes): Refusal | null {
  const known = Object.hasOwn(EXTENSIONS, extensionOf(file.name)) || MEDIA_TYPES.has(file.type);
  if (!known) return { reason: 'type', name: file.name };
  if (file.size === 0) return { reason: 'empty', name: file.name };
  if (file.size > maxFileBytes)
    return { reason: 'size', name: file.name, limitBytes: maxFileBytes };
  return null;
}

/** A sensible first guess at the kind, which the person can change. */
export function defaultKind(file: File): EvidenceKind {
  if (file.type.startsWith('image/')) return 'screenshot';
  return EXTENSIONS[extensionOf(file.name)] ?? 'other';
}

export interface PickedFile {
  id: string;
  file: File;
  kind: EvidenceKind;
  status: 'ready' | 'uploading' | 'done' | 'failed';
  /** 0..1 while uploading. */
  progress: number;
  error?: string;
}

let sequence = 0;
export function pick(file: File): PickedFile {
  return { id: `f${++sequence}`, file, kind: defaultKind(file), status: 'ready', progress: 0 };
}

/**
 * One file to POST /cases/:id/evidence as multipart, through XMLHttpRequest because fetch
 * cannot report upload progress.
 */
export function uploadEvidence(
  caseId: string,
  kind: EvidenceKind,
  files: File[],
  onProgress: (fraction: number) => void,
): Promise<UploadResult> {
  const form = new FormData();
  form.append('kind', kind);
  for (const file of files) form.append('files', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/evidence`);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      if (xhr.status === 201) {
        onProgress(1);
        resolve(body as UploadResult);
        return;
      }
      const response = new Response(null, { status: xhr.status, statusText: xhr.statusText });
      void problemFrom(response, body).then(reject);
    };
    xhr.onerror = () => reject(new TypeError('network'));
    xhr.onabort = () => reject(new TypeError('aborted'));
    xhr.send(form);
  });
}

export type UploadProblem = ApiProblem | TypeError;

/**
 * Uploads every file not yet done, one request each so each has its own progress bar, and
 * reports each change through `update`. Resolves true when all of them are stored.
 */
export async function uploadAll(
  caseId: string,
  files: PickedFile[],
  update: (id: string, change: Partial<PickedFile>) => void,
  describe: (error: unknown) => string,
): Promise<boolean> {
  let allDone = true;
  for (const item of files) {
    if (item.status === 'done') continue;
    update(item.id, { status: 'uploading', progress: 0, error: undefined });
    try {
      await uploadEvidence(caseId, item.kind, [item.file], (progress) =>
        update(item.id, { progress }),
      );
      update(item.id, { status: 'done', progress: 1 });
    } catch (error) {
      allDone = false;
      update(item.id, { status: 'failed', error: describe(error) });
    }
  }
  return allDone;
}
