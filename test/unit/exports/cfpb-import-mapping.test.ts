// Unit tests of the pure CFPB import code (server/imports/cfpb.ts, csv-records.ts). They live
// here because test/unit/exports is the unit folder this work owns; they need no database.
import { expect } from 'chai';
import {
  COMPANY_RESPONSES,
  categoryFor,
  mapCfpbRow,
  parseCfpbDate,
} from '../../../server/imports/cfpb.ts';
import { csvRecords, parseRecord } from '../../../server/imports/csv-records.ts';
import { cfpbRow } from '../imports/fixtures.ts';
import {
  DEFAULT_POLICY,
  allowedEventsFor,
  complaintMachine,
  consumerBodyFor,
  pathToStateValue,
  restore,
} from '../../../workflows/index.ts';

const row = cfpbRow;

describe('CFPB import mapping', () => {
  it('maps a wallet complaint to a resolved, upheld case with a met response deadline', () => {
    const result = mapCfpbRow(row());
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    const value = result.value;
    expect(value).to.include({
      sourceId: '3384392',
      category: 'unauthorized_transaction',
      state: 'resolved',
      responseOutcome: 'upheld',
      responseRejected: false,
      finalResponseMissed: false,
    });
    expect(value.respondent).to.deep.equal({ name: 'Example Pay Inc.', kind: 'platform' });
    expect(value.filedAt.toISOString()).to.equal('2019-09-24T00:00:00.000Z');
    expect(value.deadlines).to.deep.equal([
      {
        kind: 'finalResponse',
        startedAt: '2019-09-25T00:00:00.000Z',
        dueAt: '2019-10-10T00:00:00.000Z',
        status: 'met',
      },
    ]);
    expect(value.narrative).to.match(/consent: Consent not provided/);
    expect(value.provenance).to.include({
      complaintId: '3384392',
      relief: 'monetary',
      zipCode: null,
    });
  });

  it('maps every company response to a state the workflow machine can restore', () => {
    for (const [response, expected] of Object.entries(COMPANY_RESPONSES)) {
      const result = mapCfpbRow(row({ 'Company response to consumer': response }));
      expect(result.ok, response).to.equal(true);
      if (!result.ok) continue;
      expect(result.value.state).to.equal(expected.state);
      const snapshot = restore(complaintMachine, {
        value: pathToStateValue(expected.state),
        context: {
          jurisdiction: 'US',
          category: result.value.category,
          urgent: false,
          filedAt: result.value.filedAt.toISOString(),
          assigneeId: null,
          consumerBody: 'CFPB',
          holdingResponse: false,
          responseOutcome: result.value.responseOutcome,
          responseRejected: result.value.responseRejected,
          finalResponseMissed: result.value.finalResponseMissed,
          bodyReference: null,
          bodyDecision: null,
          legalOutcome: null,
          terminalAt: result.value.terminalAt?.toISOString() ?? null,
          reopenCount: 0,
        },
      });
      expect(snapshot.status).to.equal('active');
      const officer = { id: 'o1', role: 'officer' as const };
      const events = allowedEventsFor(
        complaintMachine,
        { value: snapshot.value, context: snapshot.context },
        officer,
        { ownerId: 'u1' },
      );
      expect(events.length, `${response}: ${expected.state}`).to.be.greaterThan(0);
    }
  });

  it('closes "Closed with explanation" as rejected, and marks an untimely response missed', () => {
    const explained = mapCfpbRow(
      row({ 'Company response to consumer': 'Closed with explanation' }),
    );
    expect(explained.ok && explained.value).to.include({
      state: 'closed',
      responseOutcome: 'rejected',
    });
    const untimely = mapCfpbRow(
      row({ 'Company response to consumer': 'Untimely response', 'Timely response?': 'No' }),
    );
    expect(untimely.ok && untimely.value).to.include({
      state: 'platformReview.investigating',
      finalResponseMissed: true,
    });
    expect(untimely.ok && untimely.value.deadlines[0]!.status).to.equal('missed');
  });

  it('keeps the consumer dispute and takes the narrative when there is one', () => {
    const result = mapCfpbRow(
      row({ 'Consumer disputed?': 'Yes', 'Consumer complaint narrative': '  They took $50.  ' }),
    );
    expect(result.ok && result.value.responseRejected).to.equal(true);
    expect(result.ok && result.value.narrative).to.equal('They took $50.');
  });

  it('routes every known product to the CFPB, never the FTC', () => {
    for (const product of [
      'Credit reporting, credit repair services, or other personal consumer reports',
      'Debt collection',
      'Checking or savings account',
      'Mortgage',
      'Payday loan',
    ]) {
      const result = mapCfpbRow(row({ Product: product, Issue: 'Other' }));
      expect(result.ok, product).to.equal(true);
      if (result.ok) {
        expect(consumerBodyFor(DEFAULT_POLICY, 'US', result.value.respondent.kind)).to.equal(
          'CFPB',
        );
      }
    }
  });

  it('reports every problem of a bad row at once', () => {
    const result = mapCfpbRow(
      row({
        'Date received': '2019-02-30',
        Product: 'Gadget insurance',
        Company: ' ',
        'Complaint ID': 'abc',
        'Timely response?': 'Maybe',
      }),
    );
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.problems).to.deep.equal([
      'Complaint ID "abc" is not a number',
      'Date received "2019-02-30" is not a valid date',
      'unknown product "Gadget insurance"',
      'Company is empty',
      'Timely response? "Maybe" is not Yes or No',
    ]);
  });

  it('refuses an unknown company response rather than guessing', () => {
    const result = mapCfpbRow(row({ 'Company response to consumer': 'Sent to the moon' }));
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.problems[0]).to.match(/unknown company response/);
  });

  it('reads ISO and US dates, and refuses impossible ones', () => {
    expect(parseCfpbDate('2019-09-24')?.toISOString()).to.equal('2019-09-24T00:00:00.000Z');
    expect(parseCfpbDate('09/24/2019')?.toISOString()).to.equal('2019-09-24T00:00:00.000Z');
    for (const bad of ['2019-13-01', '2019-02-29', '24.09.2019', '', 'soon']) {
      expect(parseCfpbDate(bad), bad).to.equal(null);
    }
    expect(parseCfpbDate('2020-02-29')?.toISOString()).to.equal('2020-02-29T00:00:00.000Z');
  });

  it('picks categories from the sub-issue first, then the issue, then the product', () => {
    const checks: [string, string, string, string][] = [
      [
        'Checking or savings account',
        'Managing an account',
        'Deposits and withdrawals',
        'payment_failed',
      ],
      [
        'Checking or savings account',
        'Managing an account',
        'Problem accessing account',
        'account_access',
      ],
      [
        'Credit card or prepaid card',
        'Problem with a purchase shown on your statement',
        'Card was charged for something you did not purchase with the card',
        'unauthorized_transaction',
      ],
      [
        'Credit card or prepaid card',
        'Problem with a purchase shown on your statement',
        'Overcharged for something you did purchase with the card',
        'incorrect_charge',
      ],
      [
        'Debt collection',
        'Attempts to collect debt not owed',
        'Debt is not yours',
        'incorrect_charge',
      ],
      ['Debt collection', "Cont'd attempts collect debt not owed", '', 'incorrect_charge'],
      [
        'Credit reporting',
        'Incorrect information on your report',
        'Information belongs to someone else',
        'balance_discrepancy',
      ],
      [
        'Credit reporting',
        "Problem with a credit reporting company's investigation into an existing problem",
        'Their investigation did not fix an error on your report',
        'poor_service',
      ],
      [
        'Credit reporting',
        'Problem with fraud alerts or security freezes',
        '',
        'account_compromised',
      ],
      [
        'Money transfer, virtual currency, or money service',
        'Fraud or scam',
        '',
        'unauthorized_transaction',
      ],
      [
        'Money transfer, virtual currency, or money service',
        'Something new the CFPB added',
        '',
        'payment_failed',
      ],
      ['Mortgage', 'Struggling to pay mortgage', '', 'other'],
    ];
    for (const [product, issue, subIssue, expected] of checks) {
      expect(categoryFor(product, issue, subIssue), `${issue} / ${subIssue}`).to.equal(expected);
    }
    expect(categoryFor('Gadget insurance', 'Fraud or scam', '')).to.equal(null);
  });
});

describe('CSV records for import', () => {
  async function records(text: string) {
    const out = [];
    for await (const record of csvRecords([Buffer.from(text)])) out.push(record);
    return out;
  }

  it('keeps quoted commas, quotes and newlines inside one record, numbered by its first line', async () => {
    const found = await records('\uFEFFa,b,c\r\n1,"two, ""2""\nlines",3\r\n4,5,6\n');
    expect(found.map((r) => [r.line, r.endLine])).to.deep.equal([
      [1, 1],
      [2, 3],
      [4, 4],
    ]);
    expect(parseRecord(found[1]!, 3)).to.deep.equal({
      ok: true,
      fields: ['1', 'two, "2"\nlines', '3'],
    });
  });

  it('confines broken quoting and a missing field to their own record', async () => {
    const found = await records('a,b,c\n1,2,3\n4,"5"x,6\n7,8\n9,10"x,11\n12,13,14\n');
    const parsed = found.map((r) => ({ line: r.line, ...parseRecord(r, 3) }));
    expect(parsed.map((p) => [p.line, p.ok])).to.deep.equal([
      [1, true],
      [2, true],
      [3, false],
      [4, false],
      [5, false],
      [6, true],
    ]);
    expect(parsed[2])
      .to.have.property('problem')
      .that.matches(/broken quoting/);
    expect(parsed[3]).to.have.property(
      'problem',
      'expected 3 fields (one per column of the header), found 2',
    );
    expect(parsed[4])
      .to.have.property('problem')
      .that.matches(/quote appears inside an unquoted field/);
  });

  it('says how far an unclosed quote reaches', async () => {
    const found = await records('a,b,c\n1,"never closed,3\n4,5,6\n');
    expect(found).to.have.length(2);
    const result = parseRecord(found[1]!, 3);
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.problem).to.match(/never closed, so lines 2–4/);
  });

  it('reads a record split across chunks, even inside a multi-byte character', async () => {
    const bytes = Buffer.from('a,b\n"中文,引号",2\n');
    const out = [];
    for await (const record of csvRecords([bytes.subarray(0, 7), bytes.subarray(7)]))
      out.push(record);
    expect(parseRecord(out[1]!, 2)).to.deep.equal({ ok: true, fields: ['中文,引号', '2'] });
  });
});
