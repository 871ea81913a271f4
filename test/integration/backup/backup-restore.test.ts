import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createBackup } from '../../../server/backup/create.ts';
import { BackupRefused, unpackAndVerify } from '../../../server/backup/restore.ts';
import { fileCase, send } from '../../helpers/cases.ts';
import { testDatabaseUri } from '../../helpers/database.ts';
import { pdf, png, sha256, upload } from '../../helpers/evidence.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('backup and restore', function () {
  this.timeout(120_000);
  let smtp: TestSmtpServer;
  let t: TestServer;
  let dir: string;
  let complainant: TestUser;
  let officer: TestUser;
  const earlierCases: string[] = [];
  let archive: string;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({ SMTP_URL: smtp.url });
    dir = mkdtempSync(join(tmpdir(), 'redress-backup-test-'));
    complainant = await createUser(t, 'complainant');
    officer = await createUser(t, 'officer');
    for (let i = 0; i < 4; i++) {
      const filed = await fileCase(t, complainant, { narrative: `备份测试 ${i}` });
      earlierCases.push(filed.id);
      await upload(t, complainant, filed.id, [
        { name: `shot-${i}.png`, content: png(100 + i), type: 'image/png' },
        { name: `record-${i}.pdf`, content: pdf(100 + i), type: 'application/pdf' },
      ]).expect(201);
      await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    }
    await t.server.services.notifications.runOnce();
    expect(smtp.messages.length).to.be.greaterThan(0);

    // Filings go on while the backup runs, as they would on a serving instance.
    archive = join(dir, 'redress.backup.tar.gz');
    const load = (async () => {
      for (let i = 0; i < 6; i++) await fileCase(t, complainant, { narrative: `负载 ${i}` });
    })();
    await createBackup({
      connection: t.server.database.connection,
      uploadDir: t.server.config.uploadDir,
      out: archive,
      redressVersion: 'test',
      source: 'test',
    });
    await load;
  });
  after(async () => {
    await t?.stop();
    await smtp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores elsewhere with every case, chain, evidence file and email record as they were', async () => {
    const restoreDb = `redress_restored_${process.pid}`;
    const uploads = join(dir, 'restored-uploads');
    const cli = await runCli(['scripts/restore.ts', archive], {
      MONGODB_URI: testDatabaseUri(restoreDb),
      UPLOAD_DIR: uploads,
      DATA_DIR: join(dir, 'restored-data'),
    });
    expect(cli.code, cli.stderr).to.equal(0);
    expect(cli.stderr).to.match(/verified .* sha256 checked/);

    const restored = await startTestServer({
      MONGODB_URI: testDatabaseUri(restoreDb),
      UPLOAD_DIR: uploads,
    });
    try {
      const signIn = async (user: TestUser) => {
        const res = await restored.http
          .post('/api/v1/auth/login')
          .send({ email: user.email, password: user.password })
          .expect(200);
        return { Authorization: `Bearer ${res.body.token as string}` };
      };
      const officerAuth = await signIn(officer);
      for (const id of earlierCases) {
        const [original, copy] = await Promise.all([
          t.http.get(`/api/v1/cases/${id}`).set(officer.auth).expect(200),
          restored.http.get(`/api/v1/cases/${id}`).set(officerAuth).expect(200),
        ]);
        expect(copy.body).to.deep.equal(original.body);
        const [chain, chainCopy] = await Promise.all([
          t.http.get(`/api/v1/cases/${id}/timeline`).set(officer.auth).expect(200),
          restored.http.get(`/api/v1/cases/${id}/timeline`).set(officerAuth).expect(200),
        ]);
        expect(chainCopy.body.verified).to.equal(true);
        expect(chainCopy.body.entries).to.deep.equal(chain.body.entries);
        const evidence = await restored.http
          .get(`/api/v1/cases/${id}/evidence`)
          .set(officerAuth)
          .expect(200);
        const items = (evidence.body.items ?? evidence.body) as { id: string; sha256: string }[];
        expect(items).to.have.length(2);
        for (const item of items) {
          const bytes = await restored.http
            .get(`/api/v1/cases/${id}/evidence/${item.id}`)
            .set(officerAuth)
            .buffer(true)
            .parse((res, done) => {
              const chunks: Buffer[] = [];
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.on('end', () => done(null, Buffer.concat(chunks)));
            })
            .expect(200);
          expect(sha256(bytes.body as Buffer)).to.equal(item.sha256);
        }
      }
      const emails = await t.server.database.connection
        .db!.collection('notifications')
        .find()
        .sort({ _id: 1 })
        .toArray();
      const emailsCopy = await restored.server.database.connection
        .db!.collection('notifications')
        .find()
        .sort({ _id: 1 })
        .toArray();
      const sentBefore = emails.filter((mail) => earlierCases.includes(String(mail.caseId)));
      expect(sentBefore.length).to.be.greaterThan(0);
      for (const mail of sentBefore) {
        expect(emailsCopy.find((copy) => String(copy._id) === String(mail._id))).to.deep.equal(
          mail,
        );
      }
    } finally {
      await restored.server.database.connection.dropDatabase().catch(() => {});
      await restored.stop();
    }
  });

  it('refuses a damaged archive, a partial one and a missing file, and restores nothing', async () => {
    const bytes = readFileSync(archive);
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    writeFileSync(join(dir, 'damaged.tar.gz'), damaged);
    writeFileSync(join(dir, 'partial.tar.gz'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    for (const name of ['damaged.tar.gz', 'partial.tar.gz']) {
      let refused: unknown;
      await unpackAndVerify(join(dir, name), dir).catch((error: unknown) => (refused = error));
      expect(refused, name).to.be.instanceOf(BackupRefused);
      expect((refused as Error).message).to.match(/not a complete Redress backup|damaged|partial/);
    }
    const missing = await runCli(['scripts/restore.ts', join(dir, 'nope.tar.gz')], {
      MONGODB_URI: testDatabaseUri('redress_never'),
    });
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/does not exist/);
  });

  it('refuses a data directory a running Redress holds, and a backup file that exists', async () => {
    const inUse = join(dir, 'in-use');
    mkdirSync(inUse);
    // This test's own process stands in for the Redress that holds the directory.
    writeFileSync(join(inUse, '.redress-db.lock'), String(process.pid));
    const restore = await runCli(['scripts/restore.ts', archive], { DATA_DIR: inUse });
    expect(restore.code).not.to.equal(0);
    expect(restore.stderr).to.match(/in use/);
    const backup = await runCli(['scripts/backup.ts', '--out', archive], {
      MONGODB_URI: testDatabaseUri('redress_never'),
    });
    expect(backup.code).to.equal(2);
    expect(backup.stderr).to.match(/already exists/);
  });

  it('refuses to restore over data that is already there', async () => {
    const cli = await runCli(['scripts/restore.ts', archive], {
      MONGODB_URI: testDatabaseUri(t.server.database.connection.name),
      UPLOAD_DIR: join(dir, 'other-uploads'),
    });
    expect(cli.code).to.equal(2);
    expect(cli.stderr).to.match(/not empty/);
  });
});
