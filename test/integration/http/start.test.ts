import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../server/config.ts';
import { start } from '../../../server/main.ts';
import { ManualClock } from '../../../server/clock.ts';
import { testDatabaseUri, testPostgresqlUrl } from '../../helpers/database.ts';

/** A clock that counts its readings: background loops read it on every run. */
class CountingClock extends ManualClock {
  readings = 0;
  override now(): Date {
    this.readings++;
    return super.now();
  }
}

describe('start-up on a port that is taken', () => {
  it('fails with the reason and leaves no background loop running', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };
    const dir = mkdtempSync(join(tmpdir(), 'redress-taken-'));
    const clock = new CountingClock();
    try {
      let failure: unknown;
      await start({
        clock,
        config: loadConfig({
          PORT: String(port),
          HOST: '127.0.0.1',
          MONGODB_URI: testDatabaseUri(`redress_taken_${process.pid}`),
          ...(testPostgresqlUrl() ? { POSTGRESQL_URL: testPostgresqlUrl()! } : {}),
          DATA_DIR: join(dir, 'data'),
          UPLOAD_DIR: join(dir, 'uploads'),
          LOG_LEVEL: 'silent',
          SWEEP_INTERVAL_MS: '20',
          MAIL_DISPATCH_INTERVAL_MS: '20',
        }),
      }).catch((error: unknown) => (failure = error));
      expect(String(failure)).to.contain('EADDRINUSE');
      const after = clock.readings;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(clock.readings, 'clock readings by loops after the failed start').to.equal(after);
    } finally {
      squatter.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
