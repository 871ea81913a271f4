import { expect } from 'chai';
import { Types } from 'mongoose';
import { complaintBody, fileCase } from '../../helpers/cases.ts';
import { png, upload } from '../../helpers/evidence.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

// ASVS 4.1.1–4.1.3, 4.2.1 (IDOR): every operation in the OpenAPI document has a row here, so a
// new route cannot ship without saying who may call it and whether it is scoped to its case.

type Actor = 'anonymous' | 'owner' | 'stranger' | 'officer' | 'compliance' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'owner', 'stranger', 'officer', 'compliance', 'admin'];
type Role = Exclude<Actor, 'anonymous' | 'owner' | 'stranger'> | 'complainant';

interface Ids {
  caseId: string;
  evidenceId: string;
  ownerId: string;
  officerId: string;
  notificationId: string;
}

interface Route {
  /** Who passes the role gate: 'public', any signed-in user, or these roles. */
  access: 'public' | 'authenticated' | Role[];
  /** A complainant who does not own the case gets 404, as if it did not exist. */
  caseScoped?: boolean;
  /** The concrete request: the path's ids filled in, and a valid body where one is needed. */
  request: (ids: Ids) => { path: string; body?: object; multipart?: boolean };
}

const event = (body: object) => (ids: Ids) => ({ path: `/cases/${ids.caseId}/events`, body });

/** `METHOD /path` as the OpenAPI document writes it → who may call it. */
const ROUTES: Record<string, Route> = {
  'POST /auth/login': {
    access: 'public',
    request: () => ({ path: '/auth/login', body: { email: 'x@example.com', password: 'x' } }),
  },
  'POST /auth/session': {
    access: 'public',
    request: () => ({ path: '/auth/session', body: { email: 'x@example.com', password: 'x' } }),
  },
  'GET /auth/session': { access: 'public', request: () => ({ path: '/auth/session' }) },
  'POST /auth/logout': { access: 'authenticated', request: () => ({ path: '/auth/logout' }) },
  'POST /auth/register': { access: 'public', request: () => ({ path: '/auth/register' }) },
  'POST /auth/password': { access: 'public', request: () => ({ path: '/auth/password' }) },
  'GET /me': { access: 'authenticated', request: () => ({ path: '/me' }) },
  'GET /me/contact': { access: ['complainant'], request: () => ({ path: '/me/contact' }) },
  'PUT /me/contact': {
    access: ['complainant'],
    request: () => ({ path: '/me/contact', body: {} }),
  },
  'POST /users': {
    access: ['admin'],
    request: () => ({
      path: '/users',
      body: { email: 'new@example.com', password: 'a-long-unusual-pw', name: 'N', role: 'admin' },
    }),
  },
  'GET /users': { access: ['admin'], request: () => ({ path: '/users' }) },
  'PATCH /users/{id}': {
    access: ['admin'],
    request: (ids) => ({ path: `/users/${ids.officerId}`, body: { role: 'admin' } }),
  },
  'GET /complainants/{id}': {
    access: ['officer', 'admin', 'compliance'],
    request: (ids) => ({ path: `/complainants/${ids.ownerId}` }),
  },
  'GET /complainants/{id}/contact': {
    access: ['officer', 'admin', 'compliance'],
    request: (ids) => ({ path: `/complainants/${ids.ownerId}/contact` }),
  },
  'PUT /complainants/{id}/contact': {
    access: ['officer'],
    request: (ids) => ({ path: `/complainants/${ids.ownerId}/contact`, body: {} }),
  },
  'GET /complainants': {
    access: ['officer', 'admin'],
    request: () => ({ path: '/complainants?email=owner@example.com' }),
  },
  'POST /complainants': {
    access: ['officer', 'admin'],
    request: () => ({
      path: '/complainants',
      body: { email: 'someone@example.com', name: 'S', locale: 'en' },
    }),
  },
  'POST /complainants/{id}/password-link': {
    access: ['officer', 'admin'],
    request: (ids) => ({ path: `/complainants/${ids.ownerId}/password-link` }),
  },
  'GET /officers': { access: ['officer', 'admin'], request: () => ({ path: '/officers' }) },
  'POST /self-help/solved': {
    access: ['complainant', 'officer', 'admin'],
    request: () => ({ path: '/self-help/solved', body: { category: 'payment_failed' } }),
  },
  'GET /self-help/solved': {
    access: ['officer', 'admin', 'compliance'],
    request: () => ({ path: '/self-help/solved' }),
  },
  'POST /cases': {
    access: ['complainant', 'officer'],
    request: () => ({ path: '/cases', body: complaintBody() }),
  },
  'GET /cases': {
    access: ['complainant', 'officer', 'compliance'],
    request: () => ({ path: '/cases' }),
  },
  'GET /cases/counts': {
    access: ['officer', 'compliance', 'admin'],
    request: () => ({ path: '/cases/counts' }),
  },
  'GET /cases/{id}': {
    access: ['complainant', 'officer', 'compliance'],
    caseScoped: true,
    request: (ids) => ({ path: `/cases/${ids.caseId}` }),
  },
  'POST /cases/{id}/events': {
    access: ['complainant', 'officer'],
    caseScoped: true,
    request: event({ type: 'WITHDRAW', reason: 'changed my mind' }),
  },
  'POST /cases/{id}/notes': {
    access: ['officer', 'admin'],
    caseScoped: true,
    request: (ids) => ({ path: `/cases/${ids.caseId}/notes`, body: { text: 'internal' } }),
  },
  'GET /cases/{id}/timeline': {
    access: ['complainant', 'officer', 'compliance'],
    caseScoped: true,
    request: (ids) => ({ path: `/cases/${ids.caseId}/timeline` }),
  },
  'GET /workflow': { access: 'public', request: () => ({ path: '/workflow' }) },
  'POST /cases/{id}/evidence': {
    access: ['complainant', 'officer'],
    caseScoped: true,
    request: (ids) => ({ path: `/cases/${ids.caseId}/evidence`, multipart: true }),
  },
  'GET /cases/{id}/evidence': {
    access: ['complainant', 'officer', 'compliance'],
    caseScoped: true,
    request: (ids) => ({ path: `/cases/${ids.caseId}/evidence` }),
  },
  'GET /cases/{id}/evidence/{evidenceId}': {
    access: ['complainant', 'officer', 'compliance'],
    caseScoped: true,
    request: (ids) => ({ path: `/cases/${ids.caseId}/evidence/${ids.evidenceId}` }),
  },
  'GET /exports/cases': { access: ['compliance'], request: () => ({ path: '/exports/cases' }) },
  'GET /exports': { access: ['compliance'], request: () => ({ path: '/exports' }) },
  'GET /cases/{id}/dossier': {
    access: ['officer', 'compliance'],
    caseScoped: true,
    request: (ids) => ({ path: `/cases/${ids.caseId}/dossier` }),
  },
  'GET /notifications': { access: ['officer'], request: () => ({ path: '/notifications' }) },
  'POST /notifications/{id}/retry': {
    access: ['officer'],
    request: (ids) => ({ path: `/notifications/${ids.notificationId}/retry` }),
  },
};

function roleOf(actor: Actor): Role | undefined {
  if (actor === 'anonymous') return undefined;
  return actor === 'owner' || actor === 'stranger' ? 'complainant' : actor;
}

/** What the server must answer `actor` before doing anything, or undefined when it may act. */
function refusal(route: Route, actor: Actor): 401 | 403 | 404 | undefined {
  if (route.access === 'public') return undefined;
  const role = roleOf(actor);
  if (!role) return 401;
  if (route.access !== 'authenticated' && !route.access.includes(role)) return 403;
  if (route.caseScoped && actor === 'stranger') return 404;
  return undefined;
}

describe('security: object-level access on every route (ASVS V4)', () => {
  let t: TestServer;
  let users: Record<Exclude<Actor, 'anonymous'>, TestUser>;
  let ids: Ids;

  before(async () => {
    t = await startTestServer({ EVIDENCE_STORAGE: 'fs' });
    users = {
      owner: await createUser(t, 'complainant', { email: 'owner@example.com' }),
      stranger: await createUser(t, 'complainant'),
      officer: await createUser(t, 'officer'),
      compliance: await createUser(t, 'compliance'),
      admin: await createUser(t, 'admin'),
    };
    const filed = await fileCase(t, users.owner);
    const uploaded = await upload(t, users.owner, filed.id, [
      { name: 'a.png', content: png(7), type: 'image/png' },
    ]).expect(201);
    const notification = await t.server.database.connection.collection('notifications').findOne({});
    ids = {
      caseId: filed.id,
      evidenceId: uploaded.body.items[0].id as string,
      ownerId: users.owner.id,
      officerId: users.officer.id,
      notificationId: notification ? String(notification._id) : 'no-such-notification',
    };
  });
  after(() => t.stop());

  function send(route: Route, actor: Actor, method: string) {
    const { path, body, multipart } = route.request(ids);
    const url = `/api/v1${path}`;
    let req = t.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
    if (actor !== 'anonymous') req = req.set(users[actor].auth);
    if (multipart) {
      return req
        .field('kind', 'screenshot')
        .attach('files', png(8), { filename: 'b.png', contentType: 'image/png' });
    }
    return body ? req.send(body) : req;
  }

  it('has a row for every operation the server documents, and none for operations it does not', async () => {
    const doc = await t.http.get('/openapi.json').expect(200);
    const documented = Object.entries(doc.body.paths as Record<string, object>).flatMap(
      ([path, operations]) =>
        Object.keys(operations).map((m) => `${m.toUpperCase()} ${path.replace(/^\/api\/v1/, '')}`),
    );
    expect(documented.sort()).to.deep.equal(Object.keys(ROUTES).sort());
  });

  for (const [name, route] of Object.entries(ROUTES)) {
    const method = name.split(' ')[0]!;
    const refused = ACTORS.filter((actor) => refusal(route, actor) !== undefined);
    if (refused.length === 0) continue;
    it(`${name}: refuses ${refused.map((a) => `${a} ${refusal(route, a)}`).join(', ')}`, async () => {
      for (const actor of refused) {
        const res = await send(route, actor, method);
        expect(res.status, `${actor}: ${JSON.stringify(res.body)}`).to.equal(refusal(route, actor));
        expect(res.headers['content-type'], actor).to.match(/^application\/problem\+json/);
      }
    });
  }

  it('lets every reader who passes the checks read (200), so the table is not refusing everyone', async () => {
    for (const [name, route] of Object.entries(ROUTES)) {
      if (!name.startsWith('GET ') || route.access === 'public') continue;
      for (const actor of ACTORS.filter((a) => refusal(route, a) === undefined)) {
        const res = await send(route, actor, 'GET');
        expect(
          res.status,
          `${name} as ${actor}: ${JSON.stringify(res.body).slice(0, 300)}`,
        ).to.equal(200);
      }
    }
  });

  it('changed nothing through all the refused requests: the case, its evidence and the accounts', async () => {
    const res = await t.http.get(`/api/v1/cases/${ids.caseId}`).set(users.owner.auth).expect(200);
    expect(res.body.state).to.equal('filed');
    // FILED and EVIDENCE_ADDED only: no WITHDRAW, no NOTE, no second upload.
    expect(res.body.version).to.equal(2);
    const evidence = await t.http
      .get(`/api/v1/cases/${ids.caseId}/evidence`)
      .set(users.owner.auth)
      .expect(200);
    expect(evidence.body.items).to.have.length(1);
    const db = t.server.database.connection;
    const officer = await db
      .collection('users')
      .findOne({ _id: new Types.ObjectId(ids.officerId) });
    expect(officer?.role).to.equal('officer');
    expect(await db.collection('users').countDocuments()).to.equal(5);
    expect(await db.collection('cases').countDocuments()).to.equal(1);
  });

  it("answers 404 for another case's evidence asked for under one's own case", async () => {
    const mine = await fileCase(t, users.stranger);
    const res = await t.http
      .get(`/api/v1/cases/${mine.id}/evidence/${ids.evidenceId}`)
      .set(users.stranger.auth);
    expect(res.status).to.equal(404);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.body).not.to.have.property('sha256');
  });

  it('answers a stranger the same 404 for an existing case as for one that does not exist', async () => {
    const missing = new Types.ObjectId().toHexString();
    for (const suffix of ['', '/timeline', '/evidence', `/evidence/${ids.evidenceId}`]) {
      const real = await t.http
        .get(`/api/v1/cases/${ids.caseId}${suffix}`)
        .set(users.stranger.auth);
      const none = await t.http.get(`/api/v1/cases/${missing}${suffix}`).set(users.stranger.auth);
      expect([real.status, none.status], suffix).to.deep.equal([404, 404]);
      const strip = (body: Record<string, unknown>) => ({ ...body, instance: '', requestId: '' });
      expect(strip(real.body), suffix).to.deep.equal(strip(none.body));
    }
  });

  it("keeps other complainants' cases out of a complainant's list and search", async () => {
    const res = await t.http
      .get(`/api/v1/cases?q=${encodeURIComponent('owner@example.com')}`)
      .set(users.stranger.auth);
    expect(res.status).to.equal(200);
    const items = (res.body.items ?? []) as { id: string }[];
    expect(items.map((item) => item.id)).not.to.include(ids.caseId);
    const all = await t.http.get('/api/v1/cases').set(users.stranger.auth).expect(200);
    expect((all.body.items as { id: string }[]).map((item) => item.id)).not.to.include(ids.caseId);
  });
});
