import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../server/config.ts';
import { start, type RunningServer } from '../../../server/main.ts';
import { fileCase, timelineOf } from '../../helpers/cases.ts';
import { testDatabaseUri } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser } from '../../helpers/users.ts';

describe('the deadline sweeper with several server processes on one database', () => {
  let t: TestServer;
  let second: RunningServer;
  let secondDir: string;

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: '8760' });
    secondDir = mkdtempSync(join(tmpdir(), 'redress-second-'));
    second = await start({
      clock: t.clock,
      config: loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        MONGODB_URI: testDatabaseUri(t.server.database.connection.name),
        DATA_DIR: secondDir,
        UPLOAD_DIR: join(secondDir, 'uploads'),
        LOG_LEVEL: 'silent',
        SWEEP_INTERVAL_MS: '3600000',
      }),
    });
  });
  after(async () => {
    await second.stop();
    rmSync(secondDir, { recursive: true, force: true });
    await t.stop();
  });

  it('fires each due deadline exactly once when both sweep at the same moment', async () => {
    const complainant = await createUser(t, 'complainant');
    const officer = await createUser(t, 'officer');
    t.clock.set('2026-11-02T09:00:00Z');
    const filed = await Promise.all(
      Array.from({ length: 5 }, () => fileCase(t, complainant, { category: 'payment_failed' })),
    );
    // The CN acknowledgement (1 working day) is due Tuesday 09:00.
    t.clock.set('2026-11-03T09:00:01Z');
    const [a, b] = await Promise.all([
      t.server.services.cases.sweepDeadlines(),
      second.services.cases.sweepDeadlines(),
    ]);
    expect(a.fired + b.fired).to.equal(5);
    for (const c of filed) {
      const timeline = await timelineOf(t, officer, c.id);
      expect(timeline.entries.filter((e) => e.type === 'DEADLINE_PASSED')).to.have.length(1);
      expect(timeline.verified).to.equal(true);
    }
    const again = await second.services.cases.sweepDeadlines();
    expect(again.fired).to.equal(0);
    const overdue = await t.http.get('/api/v1/cases?overdue=true').set(officer.auth).expect(200);
    expect(overdue.body.items).to.have.length(5);
  });
});
