import { expect } from 'chai';
import { walkNewestFirst } from '../../../server/cases/listing.ts';
import { placementOf, type PageDirectory } from '../../../server/cases/pages.ts';
import { caseSearchTerms, searchTerms, transactionKeyOf } from '../../../server/cases/derived.ts';

interface Item {
  refKey: number;
  reference: string;
  match: boolean;
}

/** A directory and a probe over items in memory, counting the probes a walk makes. */
function world(references: string[], matches: (i: number) => boolean) {
  const items: (Item & ReturnType<typeof placementOf>)[] = references.map((reference, i) => ({
    reference,
    match: matches(i),
    ...placementOf(reference),
  }));
  const ms = [...new Set(items.map((i) => i.pageM))];
  const directory = {
    mBuckets: async () =>
      ms.sort((a, b) => {
        const [, ay, an] = a.split(':');
        const [, by, bn] = b.split(':');
        return Number(by) - Number(ay) || Number(bn) - Number(an);
      }),
    sBucketsOf: async (m: string) =>
      [...new Set(items.filter((i) => i.pageM === m).map((i) => i.pageS))].sort(
        (a, b) => Number(b.split(':')[2]) - Number(a.split(':')[2]),
      ),
    claimFor: async () => {},
  } as unknown as PageDirectory;
  const counts = { probes: 0, decoded: 0 };
  const probe = async (field: 'pageS' | 'pageM' | 'pageL', bucket: string, cap: number) => {
    counts.probes++;
    const found = items.filter((i) => i[field] === bucket && i.match).slice(0, cap);
    counts.decoded += found.length;
    return found;
  };
  const expected = items.filter((i) => i.match).sort((a, b) => b.refKey - a.refKey);
  return { directory, probe, counts, expected };
}

const refs = (year: number, count: number, step = 1) =>
  Array.from({ length: count }, (_, i) => `RD-${year}-${String(1 + i * step).padStart(6, '0')}`);

describe('listing: the newest-first walk over page buckets', () => {
  it('pages through every match exactly once, newest first, across years', async () => {
    const { directory, probe, expected } = world(
      [...refs(2025, 3000), ...refs(2026, 2500)],
      (i) => i % 7 === 0,
    );
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const { items } = await walkNewestFirst(directory, probe, 51, before);
      const page = items.slice(0, 50);
      seen.push(...page.map((i) => i.refKey));
      if (items.length <= 50) break;
      before = page.at(-1)!.refKey;
    }
    expect(seen).to.deep.equal(expected.map((i) => i.refKey));
  });

  it('decodes about a page when the filter matches everything', async () => {
    const { directory, probe, counts } = world(refs(2026, 40_000), () => true);
    const { items } = await walkNewestFirst(directory, probe, 21);
    expect(items).to.have.length(21);
    expect(counts.decoded).to.be.at.most(64 * 2);
  });

  it('widens the buckets when matches are rare, instead of probing every small one', async () => {
    const { directory, probe, counts, expected } = world(refs(2026, 40_000), (i) => i % 997 === 0);
    const { items } = await walkNewestFirst(directory, probe, 21);
    expect(items.map((i) => i.refKey)).to.deep.equal(expected.slice(0, 21).map((i) => i.refKey));
    // 40,000 cases are 625 S buckets; the walk needs a few dozen probes at most.
    expect(counts.probes).to.be.below(60);
  });

  it('answers a filter that matches nothing with a few probes', async () => {
    const { directory, probe, counts } = world(refs(2026, 40_000), () => false);
    const { items } = await walkNewestFirst(directory, probe, 21);
    expect(items).to.deep.equal([]);
    expect(counts.probes).to.be.below(30);
  });
});

describe('search terms', () => {
  it('finds English words case-insensitively and Chinese by character pairs', () => {
    expect(searchTerms('Unauthorized CHARGE on 12/01')).to.include.members([
      'unauthorized',
      'charge',
      'on',
      '12',
      '01',
    ]);
    expect(searchTerms('我的账户被扣款')).to.include.members(['我的', '账户', '扣款', '被扣']);
    // A query's terms are a subset of the text's terms when the text contains the query.
    const text = searchTerms('我的账户在我不知情的情况下被扣款 1299 元');
    for (const term of searchTerms('被扣款')) expect(text).to.include(term);
  });

  it('keeps a lone digit, so that TX-1 is not found by TX-10', () => {
    const one = caseSearchTerms({
      reference: 'RD-2026-000001',
      transaction: { reference: 'BENCH-TX-1' },
      respondent: { name: 'Pay' },
      narrative: 'n',
    });
    const ten = caseSearchTerms({
      reference: 'RD-2026-000002',
      transaction: { reference: 'BENCH-TX-10' },
      respondent: { name: 'Pay' },
      narrative: 'n',
    });
    const query = searchTerms('BENCH-TX-1');
    expect(query.every((term) => one.includes(term))).to.equal(true);
    expect(query.every((term) => ten.includes(term))).to.equal(false);
  });

  it('lets a case be found by its whole reference and transaction reference', () => {
    const terms = caseSearchTerms({
      reference: 'RD-2026-000123',
      transaction: { reference: 'TX-9-ABC' },
      respondent: { name: 'Some Pay Ltd' },
      narrative: 'refund never arrived',
    });
    expect(terms).to.include.members([
      'rd-2026-000123',
      'tx-9-abc',
      'rd',
      '2026',
      'some',
      'refund',
    ]);
  });

  it('tries as a transaction reference only one token with a digit, as it is stored', () => {
    expect(transactionKeyOf(' WX-2026-7781 ')).to.equal('wx-2026-7781');
    expect(transactionKeyOf('4200001234567890')).to.equal('4200001234567890');
    // Words of a narrative, short codes and phrases are searched as words only.
    expect(transactionKeyOf('refunds')).to.equal(null);
    expect(transactionKeyOf('TX-9')).to.equal(null);
    expect(transactionKeyOf('card 4242 charged')).to.equal(null);
    expect(transactionKeyOf(undefined)).to.equal(null);
  });
});

describe('listing: density changes along the walk', () => {
  it('does not decode a dense old region whole after a sparse recent one', async () => {
    // The newest 8,000 cases match rarely, the 30,000 before them almost all.
    const { directory, probe, counts, expected } = world(refs(2026, 38_000), (i) =>
      i < 30_000 ? i % 2 === 0 : i % 500 === 0,
    );
    const { items } = await walkNewestFirst(directory, probe, 21);
    expect(items.map((i) => i.refKey)).to.deep.equal(expected.slice(0, 21).map((i) => i.refKey));
    expect(counts.decoded).to.be.below(1_100);
  });
});

describe('listing: a known density', () => {
  it('starts finer than the average when the newest cases match more densely', async () => {
    // 3 % match on average, but the newest 300 cases match two in three.
    const { directory, probe, counts, expected } = world(refs(2026, 30_000), (i) =>
      i >= 29_700 ? i % 3 !== 0 : i % 50 === 0,
    );
    const density = expected.length / 30_000;
    const { items } = await walkNewestFirst(directory, probe, 21, undefined, density);
    expect(items.map((i) => i.refKey)).to.deep.equal(expected.slice(0, 21).map((i) => i.refKey));
    expect(counts.decoded).to.be.below(100);
  });
});

describe('listing: a rare filter whose matches are all among the newest cases', () => {
  it("reads one small bucket, not a wide one that held them all (a queue of today's filings)", async () => {
    // 100,000 cases; 200 match (0.2 %), all among the newest 300, as a triage queue does.
    const { directory, probe, counts, expected } = world(refs(2026, 100_000), (i) =>
      i >= 99_700 ? i % 3 !== 0 : false,
    );
    const density = expected.length / 100_000;
    const { items } = await walkNewestFirst(directory, probe, 21, undefined, density);
    expect(items.map((i) => i.refKey)).to.deep.equal(expected.slice(0, 21).map((i) => i.refKey));
    // About what a page needs (at most one S bucket of 64), as it would be at 1,000 cases.
    expect(counts.decoded).to.be.at.most(64);
  });
});

describe("listing: an officer's own queue, most of it among the newest cases", () => {
  const newestAssigned = (i: number) =>
    (i >= 940 && i < 1_000 && i % 3 === 0) || (i >= 99_760 && i % 3 === 0);

  it('stays on small buckets while they are dense, instead of a wide one holding them all', async () => {
    // 100,000 cases, 100 of them the officer's: 20 old ones, 80 among the newest 240.
    const { directory, probe, counts, expected } = world(refs(2026, 100_000), newestAssigned);
    const density = expected.length / 100_000;
    const { items } = await walkNewestFirst(directory, probe, 21, undefined, density);
    expect(items.map((i) => i.refKey)).to.deep.equal(expected.slice(0, 21).map((i) => i.refKey));
    // A page and a half: the M bucket would decode all 80.
    expect(counts.decoded).to.be.at.most(40);
  });

  it('still widens at once after a sparse bucket (a queue spread thinly over the archive)', async () => {
    // 6,664 cases (the CFPB sample's size), one in 84 open and unassigned.
    const { directory, probe, counts, expected } = world(refs(2026, 6_664), (i) => i % 84 === 5);
    const density = expected.length / 6_664;
    const { items } = await walkNewestFirst(directory, probe, 21, undefined, density);
    expect(items.map((i) => i.refKey)).to.deep.equal(expected.slice(0, 21).map((i) => i.refKey));
    expect(counts.probes).to.be.at.most(4);
  });
});
