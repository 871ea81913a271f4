import { expect } from 'chai';
import fc from 'fast-check';
import { EVENT_TYPES } from '../../../workflows/index.ts';
import { complaintBody, fileCase } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

// Property-based tests through HTTP against the real server and database (issue: proven under
// faults, load and hostile input). Bounded so npm test stays fast; FC_RUNS raises the count and
// FC_SEED replays a reported failure.
const RUNS = Number(process.env.FC_RUNS ?? 12);
// A fixed seed keeps npm test deterministic; FC_SEED explores others (or replays one).
const SEED = Number(process.env.FC_SEED ?? 20261202);
const settings = {
  numRuns: RUNS,
  ...(SEED === undefined ? {} : { seed: SEED }),
  endOnFailure: true,
};

type ActorName = 'owner' | 'stranger' | 'officer' | 'compliance' | 'admin' | 'disabled';

interface Step {
  actor: ActorName;
  type: string;
  fields: Record<string, unknown>;
  version: 'current' | 'stale' | 'none' | number;
  key: string | null;
}

const text = fc.string({ minLength: 0, maxLength: 30 });
const FIELDS: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  TRIAGE_REJECT: fc.record({ reason: text }),
  ASSIGN: fc.record({ officerId: fc.constantFrom('OFFICER', 'nobody', '') }),
  REQUEST_INFO: fc.record({ question: text }),
  PROVIDE_INFO: fc.record({ answer: text }),
  REFER_TO_BANK: fc.record({ note: text }, { requiredKeys: [] }),
  BANK_RESPONDED: fc.record({ note: text }),
  ISSUE_HOLDING_RESPONSE: fc.record({ reason: text }),
  ISSUE_RESPONSE: fc.record(
    {
      outcome: fc.constantFrom('upheld', 'partially_upheld', 'rejected', 'maybe'),
      remedy: text,
      message: text,
    },
    { requiredKeys: ['outcome', 'message'] },
  ),
  REJECT_RESPONSE: fc.record({ reason: text }, { requiredKeys: [] }),
  RECORD_SUBMISSION: fc.record({ externalReference: text }),
  RECORD_BODY_DECISION: fc.record({
    decision: fc.constantFrom('settled', 'upheld', 'rejected', 'unresolved'),
    note: text,
  }),
  REFER_TO_LEGAL: fc.record({ reason: text }, { requiredKeys: [] }),
  RECORD_LEGAL_OUTCOME: fc.record({
    outcome: fc.constantFrom('settled', 'judgment_for_complainant', 'discontinued'),
    note: text,
  }),
  CLOSE: fc.record({ reason: text }),
  WITHDRAW: fc.record({ reason: text }, { requiredKeys: [] }),
  REOPEN: fc.record({ reason: text }),
  DEADLINE_PASSED: fc.record({ deadline: fc.constantFrom('acknowledge', 'finalResponse') }),
};

// Steps lean towards the events that move a case on, so sequences reach deep states.
const step: fc.Arbitrary<Step> = fc
  .record({
    actor: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom<ActorName>('officer', 'owner') },
      {
        weight: 1,
        arbitrary: fc.constantFrom<ActorName>('stranger', 'compliance', 'admin', 'disabled'),
      },
    ),
    type: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'TRIAGE_ACCEPT',
          'REQUEST_INFO',
          'PROVIDE_INFO',
          'ISSUE_RESPONSE',
          'REJECT_RESPONSE',
          'ESCALATE',
          'RECORD_SUBMISSION',
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom(...EVENT_TYPES, 'NOT_AN_EVENT') },
    ),
    version: fc.oneof(
      { weight: 3, arbitrary: fc.constant<'current'>('current') },
      { weight: 1, arbitrary: fc.constantFrom<'stale' | 'none'>('stale', 'none') },
      { weight: 1, arbitrary: fc.integer({ min: -2, max: 50 }) },
    ),
    key: fc.option(fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/), { freq: 4 }),
  })
  .chain((base) => (FIELDS[base.type] ?? fc.constant({})).map((fields) => ({ ...base, fields })));

describe('the API under random sequences and hostile input (fast-check)', function () {
  this.timeout(240_000);
  let t: TestServer;
  const users = {} as Record<ActorName, TestUser>;
  let states: Set<string>;

  before(async () => {
    t = await startTestServer();
    t.clock.set(new Date());
    users.owner = await createUser(t, 'complainant');
    users.stranger = await createUser(t, 'complainant');
    users.officer = await createUser(t, 'officer');
    users.compliance = await createUser(t, 'compliance');
    users.admin = await createUser(t, 'admin');
    users.disabled = await createUser(t, 'officer');
    await t.http
      .patch(`/api/v1/users/${users.disabled.id}`)
      .set(users.admin.auth)
      .send({ disabled: true })
      .expect(200);
    const workflow = await t.http.get('/api/v1/workflow').set(users.officer.auth).expect(200);
    states = new Set<string>();
    const walk = (nodes: { path: string; states: unknown[] }[]) => {
      for (const node of nodes) {
        states.add(node.path);
        walk(node.states as typeof nodes);
      }
    };
    walk(workflow.body.states);
  });
  after(() => t.stop());

  function expectProblem(
    res: { status: number; headers: Record<string, string>; body: unknown },
    what: string,
  ) {
    expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.be.below(500);
    if (res.status >= 400)
      expect(res.headers['content-type'], what).to.match(/application\/problem\+json/);
  }

  async function view(id: string) {
    const [kase, timeline] = await Promise.all([
      t.http.get(`/api/v1/cases/${id}`).set(users.officer.auth).expect(200),
      t.http.get(`/api/v1/cases/${id}/timeline`).set(users.officer.auth).expect(200),
    ]);
    return { kase: kase.body, timeline: timeline.body };
  }

  it('keeps every invariant whoever sends whatever event with whatever version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const filed = await fileCase(t, users.owner);
        for (const [index, s] of steps.entries()) {
          const before = await view(filed.id);
          const actor = users[s.actor];
          const own = await t.http.get(`/api/v1/cases/${filed.id}`).set(actor.auth);
          const allowed: string[] = own.status === 200 ? own.body.allowedEvents : [];
          const fields =
            s.type === 'ASSIGN' && s.fields.officerId === 'OFFICER'
              ? { officerId: users.officer.id }
              : s.fields;
          const version =
            s.version === 'current'
              ? before.kase.version
              : s.version === 'stale'
                ? before.kase.version - 1
                : s.version === 'none'
                  ? undefined
                  : s.version;
          const body = {
            type: s.type,
            ...fields,
            ...(version === undefined ? {} : { expectedVersion: version }),
          };
          const send = () => {
            const req = t.http.post(`/api/v1/cases/${filed.id}/events`).set(actor.auth);
            return (s.key ? req.set('Idempotency-Key', `${filed.id}-${index}-${s.key}`) : req).send(
              body,
            );
          };
          const res = await send();
          const what = `step ${index} ${s.actor} ${JSON.stringify(body)}`;
          expectProblem(res, what);
          // A body that is invalid in itself is refused before the case is looked up, which tells a
          // stranger nothing about it; anything else about another's case is a 404.
          if (s.actor === 'stranger') expect(res.status, what).to.be.oneOf([404, 400]);
          if (s.actor === 'disabled') expect(res.status, what).to.equal(401);
          if (s.actor === 'compliance' || s.actor === 'admin')
            expect(res.status, what).to.be.oneOf([403, 400]);
          if (res.status === 200)
            expect(allowed, `${what}: accepted but not allowed`).to.include(s.type);

          const after = await view(filed.id);
          expect(after.timeline.verified, what).to.equal(true);
          expect(after.timeline.entries.length, what).to.equal(after.kase.version);
          expect(states.has(after.kase.state), `${what}: state ${after.kase.state}`).to.equal(true);
          expect(after.kase.version, what).to.equal(
            before.kase.version + (res.status === 200 ? 1 : 0),
          );
          const stranger = await t.http.get(`/api/v1/cases/${filed.id}`).set(users.stranger.auth);
          expect(stranger.status, 'a complainant never sees another’s case').to.equal(404);

          if (s.key) {
            const replay = await send();
            expect(replay.status, `${what}: replayed key`).to.equal(res.status);
            if (res.status === 200)
              expect(replay.body.version, `${what}: replayed key`).to.equal(res.body.version);
            expect((await view(filed.id)).kase.version, `${what}: replay applied twice`).to.equal(
              after.kase.version,
            );
          }
        }
      }),
      settings,
    );
  });

  it('answers any malformed complaint with a 4xx problem and stores nothing', async () => {
    const valid = complaintBody();
    const hostile = fc.oneof(
      fc.anything({ maxDepth: 4 }),
      fc.record(
        { ...Object.fromEntries(Object.keys(valid).map((k) => [k, fc.anything({ maxDepth: 3 })])) },
        { requiredKeys: [] },
      ),
      fc.constantFrom<unknown>(
        { ...valid, narrative: 'x'.repeat(10_001) },
        { ...valid, category: { $ne: null } },
        {
          ...valid,
          transaction: {
            ...(valid.transaction as object),
            amount: { amountMinor: 1e300, currency: 'CNY' },
          },
        },
        { ...valid, jurisdiction: 'ZZ' },
        { ...valid, respondent: { name: '\u0000\ud800', kind: 'platform' } },
        JSON.parse('{"__proto__": {"admin": true}, "category": "other"}'),
      ),
    );
    const count = async () =>
      (await t.http.get('/api/v1/cases?limit=100').set(users.owner.auth).expect(200)).body.items
        .length;
    const start = await count();
    await fc.assert(
      fc.asyncProperty(hostile, async (body) => {
        const res = await t.http
          .post('/api/v1/cases')
          .set(users.owner.auth)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body) ?? 'null');
        expectProblem(res, JSON.stringify(body)?.slice(0, 200) ?? 'undefined');
        if (res.status < 400) expect.fail(`accepted ${JSON.stringify(body)?.slice(0, 200)}`);
      }),
      { ...settings, numRuns: RUNS * 10 },
    );
    expect(await count()).to.equal(start);
  });

  // Counterexamples fast-check found, kept as plain regression tests.
  describe('regressions found by the properties', () => {
    it('refuses NUL and unpaired surrogates in any text with 400 naming the field (was a 500 from the database)', async () => {
      const res = await t.http
        .post('/api/v1/cases')
        .set(users.owner.auth)
        .send(complaintBody({ respondent: { name: '\u0000\ud800', kind: 'platform' } }))
        .expect(400);
      expect(res.body.errors).to.deep.include({
        path: 'body.respondent.name',
        message: 'contains a NUL character or an unpaired surrogate',
      });
      await t.http.get('/api/v1/cases?q=%00').set(users.officer.auth).expect(400);
    });

    it('refuses a country that is not two capital letters with 400 (was a 500 from Intl.DisplayNames)', async () => {
      const res = await t.http
        .post('/api/v1/cases')
        .set(users.owner.auth)
        .send(complaintBody({ jurisdiction: '>kz=y!%&,' }))
        .expect(400);
      expect(JSON.stringify(res.body.errors)).to.include('body.jurisdiction');
    });
  });
});
