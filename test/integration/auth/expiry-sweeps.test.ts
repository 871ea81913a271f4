import { expect } from 'chai';
import { Types } from 'mongoose';
import { complaintBody } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser } from '../../helpers/users.ts';
import { start } from '../../../server/main.ts';

// The session sweeper deletes by hour bucket (FerretDB pushes only equality down): these make
// sure that an hour it has not looked at since something expired in it is not forgotten.
describe('expiry sweeps by hour bucket', () => {
  let t: TestServer;
  const sweep = () => t.server.loops.sessionSweeper!.runOnce();
  const count = (name: string) => t.server.database.connection.collection(name).countDocuments();

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: '2', LOGIN_WINDOW_MINUTES: '15' });
  });
  after(() => t.stop());
  beforeEach(async () => {
    await t.reset();
    t.clock.set('2026-11-02T09:00:00Z');
    await sweep();
  });

  it('sweeps a session that expired three hours ago, and spares one expiring later this hour', async () => {
    const early = await createUser(t, 'complainant'); // expires 11:00
    t.clock.set('2026-11-02T12:20:00Z');
    const late = await createUser(t, 'complainant'); // expires 14:20
    t.clock.set('2026-11-02T14:00:00Z');

    // Refused from its expiry on, swept or not.
    const refused = await t.http.get('/api/v1/me').set(early.auth);
    expect(refused.status).to.equal(401);
    expect(refused.body.detail).to.contain('expired');

    await sweep();
    expect(await count('sessions')).to.equal(1);
    await t.http.get('/api/v1/me').set(late.auth).expect(200);

    t.clock.set('2026-11-02T14:20:00Z');
    await sweep();
    expect(await count('sessions')).to.equal(0);
  });

  it('sweeps spent rate-limit windows and idempotency keys from hours the sweep skipped', async () => {
    const user = await createUser(t, 'complainant');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'wrong password here' })
      .expect(401);
    await t.http
      .post('/api/v1/cases')
      .set(user.auth)
      .set('Idempotency-Key', 'file-once')
      .send(complaintBody())
      .expect(201);
    expect(await count('rate_limits')).to.equal(2);
    expect(await count('idempotency_keys')).to.equal(1);

    // The windows ran out at 09:30, the key at 09:00 the next day; swept a day and more later.
    t.clock.set('2026-11-03T12:00:00Z');
    await sweep();
    expect(await count('rate_limits')).to.equal(0);
    expect(await count('idempotency_keys')).to.equal(0);
  });

  it('sweeps sessions from before the hour field on a process start', async () => {
    await t.server.database.connection.collection('sessions').insertOne({
      _id: 'legacy' as never,
      userId: new Types.ObjectId(),
      user: { email: 'old@example.com', name: 'old', role: 'complainant', locale: 'en' },
      createdAt: new Date('2026-11-01T00:00:00Z'),
      expiresAt: new Date('2026-11-01T12:00:00Z'),
    });
    const second = await start({ config: t.server.config, clock: t.clock });
    try {
      await second.loops.sessionSweeper!.runOnce();
      expect(await count('sessions')).to.equal(0);
    } finally {
      await second.stop();
    }
  });
});
