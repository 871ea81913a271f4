import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import type { TestSmtpServer } from '../helpers/smtp.ts';
import { call, newTally, type AckedCase, type Actor } from './workload.ts';

/** Every page of a list endpoint, by cursor. */
export async function allPages(
  base: string,
  actor: Actor,
  path: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await call(
      base,
      actor,
      'GET',
      `${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      newTally(),
    );
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(200);
    items.push(...(res.body.items as Record<string, unknown>[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return items;
}

/**
 * What the client was told exists, exists: the case, each acknowledged timeline entry with
 * its type, a chain that verifies, and each acknowledged evidence file with its bytes.
 */
export async function checkAcknowledged(
  base: string,
  officer: Actor,
  cases: Iterable<AckedCase>,
): Promise<void> {
  const tally = newTally();
  for (const item of cases) {
    const timeline = await call(base, officer, 'GET', `/api/v1/cases/${item.id}/timeline`, tally);
    expect(timeline.status, `${item.reference}: ${JSON.stringify(timeline.body)}`).to.equal(200);
    expect(timeline.body.verified, `${item.reference} chain`).to.equal(true);
    const entries = timeline.body.entries as { seq: number; type: string }[];
    for (const [seq, type] of item.entries) {
      const entry = entries.find((e) => e.seq === seq);
      expect(entry?.type, `${item.reference} entry ${seq}`).to.equal(type);
    }
    for (const [evidenceId, sha] of item.evidence) {
      const res = await fetch(`${base}/api/v1/cases/${item.id}/evidence/${evidenceId}`, {
        headers: { Authorization: `Bearer ${officer.token}` },
      });
      expect(res.status, `${item.reference} evidence ${evidenceId}`).to.equal(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).to.equal(sha);
    }
  }
  expect(tally.failures).to.deep.equal([]);
}

/**
 * The dashboard counts equal a recount of the lists, once the repair pass had time to count
 * the changes whose writers were killed: a process counts another's changes only after that
 * process's shard stood still for 3 minutes (server/cases/count-repair.ts).
 */
export async function checkCounts(
  base: string,
  officer: Actor,
  databaseUrl: string,
  withinMs = 5 * 60_000,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await compareCounts(base, officer);
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        const explained = await explainCounts(base, officer, databaseUrl).catch(String);
        throw new Error(`${(error as Error).message}\n${explained}`);
      }
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}

/**
 * What the database itself holds when the counts and the lists disagree, so a failed run says
 * which side is wrong: the cases stored against the ones the lists show, the shards, and the
 * journal entries not yet counted.
 */
async function explainCounts(base: string, officer: Actor, databaseUrl: string): Promise<string> {
  const client = await MongoClient.connect(databaseUrl, { serverSelectionTimeoutMS: 5_000 });
  try {
    const db = client.db('redress');
    const stored = await db
      .collection('cases')
      .find({}, { projection: { _id: 1, reference: 1, state: 1, version: 1 } })
      .toArray();
    const listed = new Set(
      (await allPages(base, officer, '/api/v1/cases?q=RD-2026')).map((item) => String(item.id)),
    );
    const unlisted = stored.filter((c) => !listed.has(c._id.toHexString()));
    const triage = new Set(
      (await allPages(base, officer, '/api/v1/cases?queue=triage')).map((item) => String(item.id)),
    );
    const filed = stored.filter((c) => c.state === 'filed');
    const untriaged = filed.filter((c) => !triage.has(c._id.toHexString()));
    const shards = await db
      .collection('case_queue_counts')
      .find(
        {},
        { projection: { _id: 1, 'counts.total': 1, 'counts.triage': 1, lastFold: 1, beat: 1 } },
      )
      .toArray();
    const uncounted = await db
      .collection('case_changes')
      .find({ counted: false }, { projection: { _id: 1, countBatch: 1, at: 1, version: 1 } })
      .toArray();
    const terms = await db
      .collection('case_terms')
      .find({ _id: { $in: unlisted.slice(0, 5).map((c) => c._id) } })
      .toArray();
    return JSON.stringify({
      terms,
      stored: stored.length,
      listed: listed.size,
      unlisted,
      filed: filed.length,
      triage: triage.size,
      untriaged,
      shards,
      uncounted,
    });
  } finally {
    await client.close();
  }
}

async function compareCounts(base: string, officer: Actor): Promise<void> {
  const counts = await call(base, officer, 'GET', '/api/v1/cases/counts', newTally());
  expect(counts.status).to.equal(200);
  const recount = async (query: string) =>
    (await allPages(base, officer, `/api/v1/cases?${query}`)).length;
  const queues = counts.body.queues as Record<string, number>;
  expect({ total: counts.body.total, open: counts.body.open, ...queues }).to.deep.equal({
    total: await recount('q=RD-2026'),
    open: await recount('open=true'),
    triage: await recount('queue=triage'),
    mine: await recount('queue=mine'),
    unassigned: await recount('queue=unassigned'),
    overdue: await recount('queue=overdue'),
    urgent: await recount('queue=urgent'),
    awaiting_complainant: await recount('queue=awaiting_complainant'),
    awaiting_bank: await recount('queue=awaiting_bank'),
    escalated: await recount('queue=escalated'),
  });
}

/**
 * Every email of an applied change was delivered or parked once the dispatcher is idle, and
 * no two records went out for one email: the receiving side dedupes resends by Message-ID
 * (an SMTP send cut by a kill can only be retried), and the duplicates are counted.
 */
export async function checkEmails(
  base: string,
  officer: Actor,
  smtp: TestSmtpServer,
): Promise<{ sent: number; parked: number; resent: number }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const busy = [
      ...(await allPages(base, officer, '/api/v1/notifications?status=pending')),
      ...(await allPages(base, officer, '/api/v1/notifications?status=sending')),
    ];
    if (busy.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${busy.length} emails still waiting after 90 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const sent = await allPages(base, officer, '/api/v1/notifications?status=sent');
  const parked = await allPages(base, officer, '/api/v1/notifications?status=parked');
  const received = new Map<string, number>();
  for (const mail of smtp.messages)
    received.set(mail.messageId, (received.get(mail.messageId) ?? 0) + 1);
  for (const record of sent) {
    expect(
      received.get(`<${String(record.messageId).replace(/^<|>$/g, '')}>`) ??
        received.get(String(record.messageId)),
      `email ${String(record.id)}`,
    ).to.be.greaterThan(0);
  }
  // Every message the SMTP server saw belongs to exactly one notification record.
  const known = new Set(sent.concat(parked).map((r) => String(r.messageId).replace(/^<|>$/g, '')));
  for (const id of received.keys())
    expect(known.has(id.replace(/^<|>$/g, '')), `unknown ${id}`).to.equal(true);
  const resent = [...received.values()].reduce((sum, n) => sum + n - 1, 0);
  return { sent: sent.length, parked: parked.length, resent };
}

/** No stored evidence file outside every case's manifest once the GC grace has passed. */
export function orphanedFiles(
  uploadDir: string,
  referenced: ReadonlySet<string>,
  graceMs: number,
): string[] {
  const orphans: string[] = [];
  const now = Date.now();
  for (const a of readdirSafe(uploadDir).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
    for (const b of readdirSafe(join(uploadDir, a))) {
      for (const name of readdirSafe(join(uploadDir, a, b))) {
        const path = join(uploadDir, a, b, name);
        if (!referenced.has(name) && now - statSync(path).mtimeMs > graceMs) orphans.push(name);
      }
    }
  }
  return orphans;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
