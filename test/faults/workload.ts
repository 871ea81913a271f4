import { createHash } from 'node:crypto';
import { png } from '../helpers/evidence.ts';

/** A signed-in user of the fault run, by bearer token. */
export interface Actor {
  id: string;
  role: 'complainant' | 'officer' | 'compliance' | 'admin';
  token: string;
}

/** What the service acknowledged with a 2xx: the client's own record, checked after each round. */
export interface AckedCase {
  id: string;
  reference: string;
  owner: Actor;
  /** Timeline entries the client was told exist: seq → type. */
  entries: Map<number, string>;
  evidence: Map<string, string>;
}

export interface Tally {
  ok: number;
  unavailable: number;
  conflicts: number;
  refused: number;
  /** Connection refused, reset or timed out: the outcome is unknown, nothing is claimed. */
  lost: number;
  /** The slowest answer (any status), in ms: requests may not hang while the database is away. */
  slowestMs: number;
  /** 5xx other than 503, or a 503 without problem+json: each one is a failure of the run. */
  failures: string[];
}

export const newTally = (): Tally => ({
  ok: 0,
  unavailable: 0,
  conflicts: 0,
  refused: 0,
  lost: 0,
  slowestMs: 0,
  failures: [],
});

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One request; network failures come back as status 0. Every answer is classified in `tally`. */
export async function call(
  base: string,
  actor: Actor | undefined,
  method: string,
  path: string,
  tally: Tally,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (actor) headers.Authorization = `Bearer ${actor.token}`;
  let payload: FormData | string | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  const started = Date.now();
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(payload ? { body: payload } : {}),
      signal: AbortSignal.timeout(20_000),
    });
  } catch {
    tally.lost++;
    return { status: 0, body: {} };
  }
  tally.slowestMs = Math.max(tally.slowestMs, Date.now() - started);
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text().catch(() => '');
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text && type.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  if (res.status < 300) tally.ok++;
  else if (res.status === 503 && type.includes('problem+json')) tally.unavailable++;
  else if (res.status === 409) tally.conflicts++;
  else if (res.status < 500) tally.refused++;
  if (res.status >= 500 && !(res.status === 503 && type.includes('problem+json'))) {
    tally.failures.push(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  }
  return { status: res.status, body: parsed };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function complaint(n: number) {
  return {
    category: pick(['payment_failed', 'refund_not_received', 'unauthorized_transaction']),
    jurisdiction: pick(['CN', 'US', 'GB']),
    locale: 'en',
    respondent: { name: `Wallet ${n % 7}`, kind: 'platform' },
    transaction: {
      occurredAt: '2026-11-20T10:00:00Z',
      reference: `FAULT-${n}`,
      amount: { amountMinor: 1_000 + n, currency: 'USD' },
    },
    narrative: `Fault run complaint ${n}: the payment failed but the money left my account.`,
    desiredOutcome: 'Refund the charge.',
  };
}

/** One random step of the mixed workload: filing, a transition, a note or an upload. */
export async function step(
  base: string,
  people: { complainants: Actor[]; officer: Actor },
  acked: Map<string, AckedCase>,
  tally: Tally,
  n: number,
): Promise<void> {
  const roll = Math.random();
  const known = [...acked.values()];
  if (roll < 0.35 || known.length < 3) {
    const owner = pick(people.complainants);
    const res = await call(base, owner, 'POST', '/api/v1/cases', tally, complaint(n));
    if (res.status === 201) {
      const id = String(res.body.id);
      acked.set(id, {
        id,
        reference: String(res.body.reference),
        owner,
        entries: new Map([[1, 'FILED']]),
        evidence: new Map(),
      });
    }
    return;
  }
  const target = pick(known);
  if (roll < 0.65) {
    const current = await call(base, people.officer, 'GET', `/api/v1/cases/${target.id}`, tally);
    if (current.status !== 200) return;
    const state = String(current.body.state);
    const event =
      state === 'filed'
        ? { type: 'TRIAGE_ACCEPT' }
        : state.startsWith('platformReview') && current.body.assigneeId === null
          ? { type: 'ASSIGN', officerId: people.officer.id }
          : null;
    if (!event) return;
    const version = Number(current.body.version);
    const res = await call(
      base,
      people.officer,
      'POST',
      `/api/v1/cases/${target.id}/events`,
      tally,
      {
        ...event,
        expectedVersion: version,
      },
    );
    if (res.status === 200) target.entries.set(Number(res.body.version), event.type);
    return;
  }
  if (roll < 0.8) {
    const res = await call(
      base,
      people.officer,
      'POST',
      `/api/v1/cases/${target.id}/notes`,
      tally,
      {
        text: `note ${n}`,
      },
    );
    if (res.status === 201) target.entries.set(Number(res.body.seq), 'NOTE');
    return;
  }
  const image = png(n + 1);
  const form = new FormData();
  form.set('kind', 'screenshot');
  form.append('files', new Blob([image], { type: 'image/png' }), `shot-${n}.png`);
  const res = await call(
    base,
    target.owner,
    'POST',
    `/api/v1/cases/${target.id}/evidence`,
    tally,
    form,
  );
  if (res.status === 201) {
    const sha = createHash('sha256').update(image).digest('hex');
    for (const item of res.body.items as { id: string; sha256: string }[]) {
      if (item.sha256 === sha) target.evidence.set(item.id, sha);
    }
    target.entries.set(Number(res.body.version), 'EVIDENCE_ADDED');
  }
}
