import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import supertest from 'supertest';
import { loadConfig } from '../../../server/config.ts';
import { startEmbeddedDatabase } from '../../../server/db/embedded-ferretdb.ts';
import { start } from '../../../server/main.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

describe('health and readiness', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  it('reports the process alive on /healthz', async () => {
    const res = await t.http.get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('reports ready on /readyz while the database answers', async () => {
    const res = await t.http.get('/readyz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ready' });
  });

  it('serves an OpenAPI 3.1 document generated from the schemas, and the docs page', async () => {
    const res = await t.http.get('/openapi.json').expect(200);
    expect(res.body.openapi).to.equal('3.1.0');
    const login = res.body.paths['/api/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema).to.be.an('object');
    expect(res.body.components.schemas).to.have.property('LoginRequest');
    // Responses are typed all the way down, not an open `additionalProperties` map.
    const responseSchema = (path: string) => {
      const schema = res.body.paths[path].get.responses['200'].content['application/json'].schema;
      const ref = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;
      return ref ? res.body.components.schemas[ref] : schema;
    };
    const workflow = responseSchema('/api/v1/workflow');
    expect(workflow.properties).to.include.keys('machineVersion', 'states', 'events', 'policy');
    expect(res.body.components.schemas.WorkflowState.properties).to.include.keys(
      'path',
      'transitions',
      'states',
    );
    const dossier = responseSchema('/api/v1/cases/{id}/dossier');
    expect(dossier.properties).to.include.keys('form', 'case', 'evidence', 'timeline', 'sections');
    expect(dossier.properties.case.properties).to.include.keys('reference', 'utcOffsetMinutes');
    const docs = await t.http.get('/docs/').expect(200);
    expect(docs.text).to.contain('swagger-ui');
  });

  it('answers 503 while the database is down, and recovers by itself when it returns', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'redress-readyz-'));
    const db = await startEmbeddedDatabase({
      dataDir: join(dir, 'db'),
      port: 0,
      durability: 'fast',
    });
    const server = await start({
      config: loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        MONGODB_URI: `${db.uri}/readyz`,
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
      }),
    });
    const port = Number(new URL(db.uri).port);
    let restarted: Awaited<ReturnType<typeof startEmbeddedDatabase>> | undefined;
    try {
      const http = supertest(server.url);
      await http.get('/readyz').expect(200);
      await server.services.users.createUser({
        email: 'ready@example.com',
        password: 'a-long-enough-password',
        name: 'Ready',
        role: 'complainant',
        locale: 'en',
      });
      const login = await http
        .post('/api/v1/auth/login')
        .send({ email: 'ready@example.com', password: 'a-long-enough-password' })
        .expect(200);
      const auth = { Authorization: `Bearer ${login.body.token as string}` };
      await db.stop();
      const res = await http.get('/readyz');
      expect(res.status).to.equal(503);
      expect(res.headers['content-type']).to.match(/problem\+json/);
      await http.get('/healthz').expect(200);
      const down = await http.get('/api/v1/me').set(auth);
      expect(down.status).to.equal(503);
      expect(down.headers['content-type']).to.match(/problem\+json/);

      // The database comes back on the same files and port: the server recovers by itself.
      restarted = await startEmbeddedDatabase({
        dataDir: join(dir, 'db'),
        port,
        durability: 'fast',
      });
      const deadline = Date.now() + 30_000;
      while ((await http.get('/readyz')).status !== 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      await http.get('/readyz').expect(200);
      const me = await http.get('/api/v1/me').set(auth).expect(200);
      expect(me.body.email).to.equal('ready@example.com');
    } finally {
      await restarted?.stop();
      await server.stop();
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
