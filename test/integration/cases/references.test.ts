import { expect } from 'chai';
import { createReferenceAllocator } from '../../../server/cases/references.ts';
import { CFPB_COLUMNS, type CfpbColumn } from '../../../server/imports/cfpb.ts';
import { createImportService } from '../../../server/imports/service.ts';
import { complaintBody } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const REFERENCE = /^RD-(\d{4})-(\d{6,})$/;

function numberOf(reference: string): number {
  const match = REFERENCE.exec(reference);
  expect(match, reference).to.not.equal(null);
  return Number(match![2]);
}

function quote(field: string): string {
  return /[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** A CFPB CSV of `count` valid rows received in `year`, with Complaint IDs from `firstId`. */
function cfpbCsv(year: number, count: number, firstId: number): string {
  const rows = Array.from({ length: count }, (_, i) => {
    const day = `${year}-03-${String((i % 28) + 1).padStart(2, '0')}`;
    const row: Record<CfpbColumn, string> = {
      'Date received': day,
      Product: 'Credit card',
      'Sub-product': 'General-purpose credit card or charge card',
      Issue: 'Problem with a purchase shown on your statement',
      'Sub-issue': "Credit card company isn't resolving a dispute about a purchase",
      'Consumer complaint narrative': '',
      'Company public response': '',
      Company: 'Example Bank, N.A.',
      State: 'NC',
      'ZIP code': '27105',
      Tags: '',
      'Consumer consent provided?': 'Consent not provided',
      'Submitted via': 'Web',
      'Date sent to company': day,
      'Company response to consumer': 'Closed with explanation',
      'Timely response?': 'Yes',
      'Consumer disputed?': 'N/A',
      'Complaint ID': String(firstId + i),
    };
    return CFPB_COLUMNS.map((column) => quote(row[column])).join(',');
  });
  return `${[CFPB_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

describe('case references shared by filing and imports', () => {
  let t: TestServer;
  let complainant: TestUser;

  // A fresh server (and database) per test: the filing allocator keeps its claimed block in
  // memory, which a reset of the collections under it would make stale.
  beforeEach(async () => {
    t = await startTestServer();
    complainant = await createUser(t, 'complainant');
  });
  afterEach(() => t?.stop());

  const db = () => t.server.database.connection.db!;
  const year = () => t.clock.now().getUTCFullYear();

  /** Imports in-process, as the import CLI does in its own process: its own allocator. */
  async function importRows(count: number, firstId: number) {
    const service = createImportService({
      connection: t.server.database.connection,
      users: t.server.services.users,
      clock: t.clock,
      batchSize: 25,
    });
    const summary = await service.importCfpb([cfpbCsv(year(), count, firstId)]);
    expect(summary.problems, JSON.stringify(summary.problems)).to.deep.equal([]);
    expect(summary.imported).to.equal(count);
  }

  async function fileMany(count: number): Promise<string[]> {
    const references: string[] = [];
    for (let start = 0; start < count; start += 10) {
      const responses = await Promise.all(
        Array.from({ length: Math.min(10, count - start) }, () =>
          t.http.post('/api/v1/cases').set(complainant.auth).send(complaintBody()),
        ),
      );
      for (const res of responses) {
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        references.push(res.body.reference as string);
      }
    }
    return references;
  }

  async function allReferences(): Promise<string[]> {
    const cases = await db()
      .collection('cases')
      .find({}, { projection: { reference: 1 } })
      .toArray();
    return cases.map((c) => c.reference as string);
  }

  it('files after an import of complaints received this year', async function () {
    this.timeout(60_000);
    await importRows(80, 9_100_000);
    const filed = await fileMany(65);
    for (const reference of filed) expect(REFERENCE.exec(reference)?.[1]).to.equal(`${year()}`);
    const all = await allReferences();
    expect(all).to.have.length(145);
    expect(new Set(all).size).to.equal(145);
  });

  it('imports complaints received this year after filings', async function () {
    this.timeout(60_000);
    const filed = await fileMany(30);
    await importRows(70, 9_200_000);
    const imported = (
      await db()
        .collection('cases')
        .find({ channel: 'import' }, { projection: { reference: 1 } })
        .toArray()
    ).map((c) => c.reference as string);
    expect(imported).to.have.length(70);
    for (const reference of imported) expect(filed).to.not.include(reference);
    // And filing goes on past both.
    await fileMany(30);
    const all = await allReferences();
    expect(all).to.have.length(130);
    expect(new Set(all).size).to.equal(130);
    for (const reference of all) numberOf(reference);
  });

  it('never gives the same number to two allocators calling next() and reserve() concurrently', async function () {
    this.timeout(60_000);
    // Two "processes": each keeps its own claimed blocks in memory. Small blocks make them
    // contend for the same block ids over and over.
    const a = createReferenceAllocator(db(), { blockSize: 7 });
    const b = createReferenceAllocator(db(), { blockSize: 7 });
    const y = year();
    const calls: Promise<string | string[]>[] = [];
    for (let i = 0; i < 60; i++) {
      calls.push(a.next(y), b.next(y));
      if (i % 10 === 0) calls.push(a.reserve(y, 23), b.reserve(y, 16), a.reserve(y - 1, 9));
      if (i % 15 === 0) calls.push(b.next(y - 1), b.reserve(y, 0));
    }
    const references = (await Promise.all(calls)).flat();
    expect(references).to.have.length(120 + 6 * (23 + 16 + 9) + 4);
    expect(new Set(references).size).to.equal(references.length);
    for (const reference of references) numberOf(reference);
    expect(references.filter((r) => r.startsWith(`RD-${y - 1}-`))).to.have.length(6 * 9 + 4);
    // Filing in this server (a third allocator) stays clear of all of them.
    const filed = await fileMany(20);
    for (const reference of filed) expect(references).to.not.include(reference);
  });

  it('starts above the references a database got from the old single-reference scheme', async function () {
    this.timeout(60_000);
    const y = year();
    // What the old import wrote: one claim per reference, and its counter...
    await db()
      .collection<{ _id: string }>('case_references')
      .insertMany(
        Array.from({ length: 137 }, (_, i) => ({
          _id: `RD-${y}-${String(i + 1).padStart(6, '0')}`,
        })),
      );
    await db()
      .collection<{ _id: string; seq: number }>('counters')
      .insertOne({ _id: `case-reference-${y}`, seq: 137 });
    // ...and a claim above the counter, from an import that died before raising it.
    await db()
      .collection<{ _id: string }>('case_references')
      .insertOne({ _id: `RD-${y}-000140` });

    const filed = await fileMany(12);
    const reserved = await createReferenceAllocator(db()).reserve(y, 60);
    await importRows(30, 9_300_000);
    const all = [...filed, ...reserved, ...(await allReferences())];
    expect(new Set(all).size).to.equal(12 + 60 + 30);
    for (const reference of all) expect(numberOf(reference)).to.be.greaterThan(140);
  });
});
