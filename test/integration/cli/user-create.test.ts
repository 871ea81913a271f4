import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { testDatabaseUri } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

const run = promisify(execFile);

describe('command line: user:create and start-up configuration', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  it('creates a staff account that can sign in', async function () {
    this.timeout(30_000);
    const uri = testDatabaseUri(t.server.database.connection.name);
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/user-create.ts',
        '--email',
        'Officer@Example.com',
        '--role',
        'officer',
      ],
      { env: { ...process.env, MONGODB_URI: uri, LOG_LEVEL: 'silent' } },
    );
    expect(stdout).to.contain('created officer officer@example.com');
    const password = /password: (\S+)/.exec(stdout)?.[1];
    expect(password).to.be.a('string');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'officer@example.com', password })
      .expect(200);
  });

  it('refuses an unknown role with a usage message and exit code 2', async function () {
    this.timeout(30_000);
    const failure = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/user-create.ts', '--email', 'x@example.com', '--role', 'boss'],
      { env: { ...process.env, MONGODB_URI: testDatabaseUri('unused') } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).to.have.property('code', 2);
    expect((failure as { stderr: string }).stderr).to.contain('role');
  });

  it('answers a mistyped option with the usage, not a stack trace', async function () {
    this.timeout(30_000);
    const failure = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/user-create.ts', '--mail', 'x@example.com'],
      { env: { ...process.env, MONGODB_URI: testDatabaseUri('unused') } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).to.have.property('code', 2);
    const { stderr } = failure as { stderr: string };
    expect(stderr).to.contain("Unknown option '--mail'").and.contain('usage: npm run user:create');
    expect(stderr).not.to.contain('    at ');
  });

  it('stops the server at start-up with a message naming a bad variable', async function () {
    this.timeout(30_000);
    const failure = await run(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'eighty', MONGODB_URI: testDatabaseUri('unused') },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).to.have.property('code', 1);
    expect((failure as { stderr: string }).stderr).to.contain('PORT');
  });
});
