import { expect } from 'chai';
import {
  compareByDue,
  dueDays,
  hoursOf,
  walkByDue,
  type DuePosition,
} from '../../../server/cases/due-order.ts';

type Item = DuePosition & { id: string };

const at = (iso: string) => new Date(iso);

/** Cases and a fake database: equality on the day or hour of `nextDueAt`, like the real one. */
function world(items: Item[]) {
  const reads: string[] = [];
  const counts: Record<string, number> = {};
  for (const item of items) {
    const day = item.nextDueAt ? item.nextDueAt.toISOString().slice(0, 10) : 'none';
    counts[`f:dueDay=${day}`] = (counts[`f:dueDay=${day}`] ?? 0) + 1;
  }
  const steps = {
    day: async (day: string) => {
      reads.push(day);
      return items.filter((i) => i.nextDueAt?.toISOString().slice(0, 10) === day);
    },
    hour: async (hour: string) => {
      reads.push(hour);
      return items.filter((i) => i.nextDueAt?.toISOString().slice(0, 13) === hour);
    },
    undated: async (want: number, before: number | undefined) => ({
      items: items
        .filter((i) => !i.nextDueAt && (before === undefined || i.refKey < before))
        .sort((a, b) => b.refKey - a.refKey)
        .slice(0, want),
      stoppedEarly: false,
    }),
  };
  return { steps, counts, reads };
}

async function allPages(items: Item[], size: number, density?: number) {
  const { steps, counts, reads } = world(items);
  const seen: Item[] = [];
  let after: DuePosition | undefined;
  for (;;) {
    const { items: page } = await walkByDue(steps, counts, size, after, density);
    seen.push(...page);
    if (page.length < size) break;
    after = page.at(-1);
  }
  return { seen, reads };
}

describe('time-left order (due-order.ts)', () => {
  const items: Item[] = [
    { id: 'a', refKey: 1, nextDueAt: at('2026-12-03T10:00:00Z') },
    { id: 'b', refKey: 2, nextDueAt: at('2026-12-02T23:30:00Z') },
    { id: 'c', refKey: 3, nextDueAt: at('2026-12-03T10:00:00Z') },
    { id: 'd', refKey: 4, nextDueAt: null },
    { id: 'e', refKey: 5, nextDueAt: at('2026-12-10T01:00:00Z') },
    { id: 'f', refKey: 6, nextDueAt: null },
    { id: 'g', refKey: 7, nextDueAt: at('2026-11-30T08:00:00Z') },
  ];
  const expected = ['g', 'b', 'c', 'a', 'e', 'f', 'd'];

  it('puts the soonest deadline first, ties newest first, then the undated newest first', () => {
    expect([...items].sort(compareByDue).map((i) => i.id)).to.deep.equal(expected);
  });

  it('lists the counted days soonest first, without empty or undated ones', () => {
    expect(
      dueDays({
        'f:dueDay=2026-12-03': 2,
        'f:dueDay=2026-11-30': 1,
        'f:dueDay=none': 9,
        'f:dueDay=2026-12-01': 0,
        total: 12,
      }),
    ).to.deep.equal([
      ['2026-11-30', 1],
      ['2026-12-03', 2],
    ]);
    expect(hoursOf('2026-12-02')).to.have.length(24);
    expect(hoursOf('2026-12-02')[7]).to.equal('2026-12-02T07');
  });

  it('pages through every case exactly once in that order, whatever the page size', async () => {
    for (const size of [1, 2, 3, 7, 20]) {
      const { seen } = await allPages(items, size);
      expect(
        seen.map((i) => i.id),
        `page size ${size}`,
      ).to.deep.equal(expected);
    }
  });

  it('probes only days that hold cases, and a full day hour by hour', async () => {
    const { reads } = await allPages(items, 20);
    expect(reads).to.deep.equal(['2026-11-30', '2026-12-02', '2026-12-03', '2026-12-10']);
    // 200 cases due the same day: read in hours, still in order.
    const crowd: Item[] = Array.from({ length: 200 }, (_, i) => ({
      id: `x${i}`,
      refKey: 100 + i,
      nextDueAt: new Date(Date.parse('2026-12-05T00:00:00Z') + ((i * 7) % 24) * 3_600_000),
    }));
    const { seen, reads: crowdReads } = await allPages(crowd, 50);
    expect(crowdReads.every((r) => r.includes('T'))).to.equal(true);
    expect(seen.map((i) => i.id)).to.deep.equal([...crowd].sort(compareByDue).map((i) => i.id));
  });
});
