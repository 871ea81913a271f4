import { execFile } from 'node:child_process';
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { verifyChain, type TimelineEntry } from '../../../server/cases/timeline.ts';
import { cfpbSamplePath } from '../../../scripts/cfpb-sample.ts';
import { csvRecords } from '../../../server/imports/csv-records.ts';
import { CFPB_COLUMNS } from '../../../server/imports/cfpb.ts';
import { send } from '../../helpers/cases.ts';
import { testDatabaseUri } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const run = promisify(execFile);
// The whole public sample is not committed (scripts/cfpb-sample.ts finds it); the
// slices come from its first 200 records, committed as a fixture.
const SAMPLE = cfpbSamplePath();
const SLICE_SOURCE = new URL('../../fixtures/cfpb-sample-200.csv', import.meta.url).pathname;
const HEADER = CFPB_COLUMNS.join(',');

/** The header and the first `count` records of the sample (records, not lines: narratives span lines). */
async function sampleSlice(count: number): Promise<string> {
  const records: string[] = [];
  for await (const record of csvRecords(createReadStream(SLICE_SOURCE))) {
    records.push(record.text);
    if (records.length > count) break;
  }
  return `${records.join('\n')}\n`;
}

async function importFile(t: TestServer, file: string, args: string[] = ['--format', 'cfpb']) {
  const uri = testDatabaseUri(t.server.database.connection.name);
  return run(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args, file], {
    env: { ...process.env, MONGODB_URI: uri, LOG_LEVEL: 'silent' },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe('importing the CFPB complaint database', () => {
  let t: TestServer;
  let officer: TestUser;
  let compliance: TestUser;

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: '8760' });
  });
  after(() => t?.stop());
  beforeEach(async () => {
    await t.reset();
    officer = await createUser(t, 'officer');
    compliance = await createUser(t, 'compliance');
  });

  const db = () => t.server.database.connection.db!;

  it('imports a slice of the sample, and a re-run imports nothing twice', async function () {
    this.timeout(40_000);
    const file = join(t.tempDir, 'slice.csv');
    writeFileSync(file, await sampleSlice(200));
    const first = await importFile(t, file);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.contain('200 rows read: 200 imported, 0 already imported, 0 skipped');
    expect(first.stdout).to.match(
      /states: closed 166, resolved 30, platformReview\.investigating 4/,
    );

    const cases = db().collection('cases');
    expect(await cases.countDocuments()).to.equal(200);
    const sample = await cases.findOne({ 'timeline.0.data.sourceId': '3556830' });
    expect(sample).to.include({
      jurisdiction: 'US',
      locale: 'en',
      channel: 'import',
      consumerBody: 'CFPB',
      state: 'closed',
      version: 1,
    });
    expect(sample!.reference).to.match(/^RD-2020-\d{6}$/);
    expect(sample!.respondent).to.deep.equal({
      name: 'Experian Information Solutions Inc.',
      kind: 'platform',
    });
    expect(sample!.transaction.amount).to.deep.equal({ amountMinor: 0, currency: 'USD' });
    expect(sample!.deadlines[0]).to.include({ kind: 'finalResponse', status: 'met' });
    const entry = sample!.timeline[0] as TimelineEntry;
    expect(entry).to.include({ seq: 1, type: 'IMPORTED', fromState: null, toState: 'closed' });
    expect(entry.actor).to.deep.equal({ id: 'import', role: 'system' });
    expect(entry.data).to.deep.include({ source: 'cfpb', sourceId: '3556830' });
    expect(verifyChain(sample!.timeline).verified).to.equal(true);

    // One disabled owner account per source; nobody can sign in as it.
    const owner = await db()
      .collection('users')
      .findOne({ email: 'imported-cfpb@redress.invalid' });
    expect(owner).to.include({ role: 'complainant', disabled: true });
    expect(sample!.ownerId.equals(owner!._id)).to.equal(true);
    // The journal holds every imported case's first version, applied, with nothing to send.
    expect(
      await db()
        .collection('case_changes')
        .countDocuments({ version: 1, applied: true, relayed: true }),
    ).to.equal(200);
    expect(await db().collection('imports').countDocuments()).to.equal(200);

    const again = await importFile(t, file);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.contain('200 rows read: 0 imported, 200 already imported, 0 skipped');
    expect(await cases.countDocuments()).to.equal(200);
  });

  it('makes imported cases ordinary cases: listed, exported, verified and moved on', async function () {
    this.timeout(40_000);
    const file = join(t.tempDir, 'slice.csv');
    writeFileSync(file, await sampleSlice(40));
    expect((await importFile(t, file)).code).to.equal(0);

    const open = await t.http
      .get('/api/v1/cases?state=platformReview&jurisdiction=US')
      .set(officer.auth)
      .expect(200);
    expect(open.body.items.length).to.be.greaterThan(0);
    const inProgress = open.body.items[0];
    const answered = await send(t, officer, inProgress, {
      type: 'ISSUE_RESPONSE',
      outcome: 'partially_upheld',
      message: 'We corrected the report.',
    });
    expect(answered.state).to.equal('responseIssued.awaitingReply');
    expect(answered.version).to.equal(2);

    const exported = await t.http
      .get('/api/v1/exports/cases?format=ndjson&jurisdiction=US')
      .set(compliance.auth)
      .buffer(true)
      .expect(200);
    const ndjson = join(t.tempDir, 'imported.ndjson');
    writeFileSync(ndjson, exported.text);
    // verify-export needs no database: no MONGODB_URI is passed.
    const verified = await run(process.execPath, [
      '--import',
      'tsx',
      'scripts/verify-export.ts',
      ndjson,
    ]);
    expect(verified.stdout).to.contain('40 cases, 40 verified, 0 failed, 41 timeline entries');
  });

  it('skips bad rows with their line and the reason, and imports the good ones', async function () {
    this.timeout(30_000);
    const good = (id: string) =>
      `2019-09-24,Debt collection,I do not know,Attempts to collect debt not owed,Debt is not yours,"They called me, twice.",,ACME COLLECTIONS,FL,335XX,,Consent provided,Web,2019-09-24,Closed with explanation,Yes,N/A,${id}`;
    const lines = [
      HEADER, // line 1
      good('9000001'), // line 2
      '2019-09-24,Debt collection,I do not know,Attempts to collect debt not owed', // 3: missing columns
      good('9000002').replace('"They called me, twice."', '"They called "me", twice."'), // 4: broken quoting
      good('9000003').replace('2019-09-24,Debt', '2019-02-30,Debt'), // 5: invalid date
      good('9000004').replace('Debt collection', 'Timeshare rentals'), // 6: unknown product
      good('9000005'), // 7
      good('9000001'), // 8: the same complaint again
      good('9000006'), // 9
    ];
    const file = join(t.tempDir, 'bad.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await importFile(t, file);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.contain('8 rows read: 3 imported, 0 already imported, 5 skipped');
    expect(result.stdout).to.contain(
      'line 3: expected 18 fields (one per column of the header), found 4',
    );
    expect(result.stdout).to.match(/line 4: broken quoting/);
    expect(result.stdout).to.contain(
      'line 5 (Complaint ID 9000003): Date received "2019-02-30" is not a valid date',
    );
    expect(result.stdout).to.contain(
      'line 6 (Complaint ID 9000004): unknown product "Timeshare rentals"',
    );
    expect(result.stdout).to.contain(
      'line 8 (Complaint ID 9000001): Complaint ID 9000001 already appears on line 2',
    );
    const imported = await db()
      .collection('cases')
      .find({}, { projection: { 'timeline.data.sourceId': 1 } })
      .toArray();
    expect(imported.map((c) => c.timeline[0].data.sourceId).sort()).to.deep.equal([
      '9000001',
      '9000005',
      '9000006',
    ]);
    // Nothing of a skipped row is written: no claim, no reference.
    expect(await db().collection('imports').countDocuments()).to.equal(3);
  });

  it('finishes rows a dead run claimed, and leaves rows a live run is writing', async function () {
    this.timeout(30_000);
    const row = (id: string) =>
      `2019-09-24,Debt collection,I do not know,Communication tactics,Frequent or repeated calls,,,ACME COLLECTIONS,FL,335XX,,Consent not provided,Web,2019-09-24,Closed with explanation,Yes,N/A,${id}`;
    const file = join(t.tempDir, 'resume.csv');
    writeFileSync(file, [HEADER, row('7000001'), row('7000002'), row('7000003'), ''].join('\n'));
    // A run that claimed two rows and died two minutes ago, and one claiming a row right now.
    const deadCaseId = new Types.ObjectId();
    await db()
      .collection('imports')
      .insertMany([
        {
          _id: 'cfpb:7000001' as never,
          source: 'cfpb',
          sourceId: '7000001',
          caseId: deadCaseId,
          claimedAt: new Date(Date.now() - 120_000),
          runId: 'dead',
          line: 2,
        },
        {
          _id: 'cfpb:7000002' as never,
          source: 'cfpb',
          sourceId: '7000002',
          caseId: new Types.ObjectId(),
          claimedAt: new Date(),
          runId: 'alive',
          line: 3,
        },
      ]);
    const result = await importFile(t, file);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain(
      '3 rows read: 2 imported, 0 already imported, 0 skipped, 1 being imported by another run',
    );
    const taken = await db().collection('cases').findOne({ _id: deadCaseId });
    expect(taken?.timeline[0].data.sourceId).to.equal('7000001');
    expect(await db().collection('cases').countDocuments()).to.equal(2);
  });

  it('refuses a file that is not a CFPB export, writing nothing', async function () {
    this.timeout(30_000);
    const file = join(t.tempDir, 'other.csv');
    writeFileSync(file, 'id,name,amount\n1,Alice,10\n');
    const result = await importFile(t, file);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('lacks the CFPB column(s) "Date received"');
    expect(await db().collection('cases').countDocuments()).to.equal(0);

    const usage = await importFile(t, file, ['--format', 'xlsx']);
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.contain('unknown format "xlsx"');
  });

  it('imports the whole sample of 6,664 complaints', async function () {
    this.timeout(60_000);
    if (!existsSync(SAMPLE)) {
      throw new Error(
        `the CFPB sample is not at ${SAMPLE} (shared/ beside the repository or its origin, or REDRESS_SHARED_DIR)`,
      );
    }
    const started = Date.now();
    const result = await importFile(t, SAMPLE);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain(
      '6664 rows read: 6664 imported, 0 already imported, 0 skipped',
    );
    expect(await db().collection('cases').countDocuments()).to.equal(6664);
    console.log(
      `      (whole sample: ${((Date.now() - started) / 1000).toFixed(1)} s including start-up)`,
    );
  });
});
