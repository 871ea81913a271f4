import { expect } from 'chai';
import type { TestServer } from './server.ts';
import type { TestUser } from './users.ts';

export interface ComplaintOverrides {
  category?: string;
  jurisdiction?: string;
  locale?: string;
  respondent?: { name: string; kind: string; address?: string; registrationNumber?: string };
  amountMinor?: number;
  currency?: string;
  occurredAt?: string;
  narrative?: string;
  [field: string]: unknown;
}

/** A valid complaint body; overrides replace single fields. */
export function complaintBody(overrides: ComplaintOverrides = {}): Record<string, unknown> {
  const {
    amountMinor = 129_900,
    currency = 'CNY',
    occurredAt = '2026-11-01T10:00:00Z',
    ...rest
  } = overrides;
  return {
    category: 'unauthorized_transaction',
    jurisdiction: 'CN',
    locale: 'zh-CN',
    respondent: { name: '某某支付', kind: 'platform', address: '上海市浦东新区陆家嘴环路 1000 号' },
    transaction: { occurredAt, reference: 'TX123', amount: { amountMinor, currency } },
    narrative: '我的账户在我不知情的情况下被扣款 1299 元。',
    desiredOutcome: '退还全部款项',
    channel: 'web',
    ...rest,
  };
}

export interface CaseRef {
  id: string;
  version: number;
  state: string;
  reference: string;
}

export async function fileCase(
  t: TestServer,
  complainant: TestUser,
  overrides: ComplaintOverrides = {},
): Promise<CaseRef> {
  const res = await t.http
    .post('/api/v1/cases')
    .set(complainant.auth)
    .send(complaintBody(overrides));
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as CaseRef;
}

/** Sends an event and expects it to succeed; returns the case after it. */
export async function send(
  t: TestServer,
  user: TestUser,
  caseRef: { id: string },
  event: Record<string, unknown>,
): Promise<CaseRef & Record<string, unknown>> {
  const res = await t.http.post(`/api/v1/cases/${caseRef.id}/events`).set(user.auth).send(event);
  expect(res.status, `${String(event.type)}: ${JSON.stringify(res.body)}`).to.equal(200);
  return res.body;
}

/** Adds evidence straight to the record: the evidence endpoint has its own tests. */
export async function addEvidenceCount(t: TestServer, caseId: string, count = 1): Promise<void> {
  const { Types } = await import('mongoose');
  await t.server.database.connection
    .collection('cases')
    .updateOne({ _id: new Types.ObjectId(caseId) }, { $inc: { evidenceCount: count } });
}

export async function timelineOf(t: TestServer, user: TestUser, caseId: string) {
  const res = await t.http.get(`/api/v1/cases/${caseId}/timeline`).set(user.auth).expect(200);
  return res.body as {
    verified: boolean;
    brokenAt?: number;
    entries: { seq: number; type: string; fromState: string | null; toState: string }[];
  };
}
