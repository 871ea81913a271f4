import { expect } from 'chai';
import { ExportCasesQuery, ExportFilters, filedRange } from '../../../server/exports/schemas.ts';
import { caseFilter } from '../../../server/exports/source.ts';

describe('export filters', () => {
  it('takes a bare filedTo date as the whole of that day (UTC)', () => {
    const range = filedRange({ filedFrom: '2026-01-01', filedTo: '2026-01-31' });
    expect(range.from?.toISOString()).to.equal('2026-01-01T00:00:00.000Z');
    expect(range.toBefore?.toISOString()).to.equal('2026-02-01T00:00:00.000Z');
  });

  it('takes a timestamp filedTo as inclusive to the millisecond', () => {
    const range = filedRange({ filedTo: '2026-01-31T12:00:00Z' });
    expect(range.toBefore?.toISOString()).to.equal('2026-01-31T12:00:00.001Z');
  });

  it('accepts the same day as from and to', () => {
    const parsed = ExportFilters.safeParse({ filedFrom: '2026-01-05', filedTo: '2026-01-05' });
    expect(parsed.success).to.equal(true);
  });

  it('refuses a to before from, naming filedTo', () => {
    const parsed = ExportCasesQuery.safeParse({ filedFrom: '2026-02-01', filedTo: '2026-01-01' });
    expect(parsed.success).to.equal(false);
    expect(parsed.error!.issues[0]!.path).to.deep.equal(['filedTo']);
    expect(parsed.error!.issues[0]!.message).to.equal('filedTo is before filedFrom');
  });

  it('refuses dates that do not exist and words that are not dates', () => {
    for (const filedFrom of ['2026-02-30', 'yesterday', '2026-1-1', '01/02/2026']) {
      expect(ExportFilters.safeParse({ filedFrom }).success, filedFrom).to.equal(false);
    }
  });

  it('refuses unknown formats, categories, fields and malformed codes', () => {
    for (const query of [
      { format: 'xml' },
      { category: 'stolen_cat' },
      { jurisdiction: 'usa' },
      { consumerBody: '$where' },
      { state: 'filed; drop' },
      { limit: '10' },
    ]) {
      expect(ExportCasesQuery.safeParse(query).success, JSON.stringify(query)).to.equal(false);
    }
  });

  it('builds a filter of plain equality values: a parent state matches its substates by phase', () => {
    const filter = caseFilter({
      state: 'escalated',
      category: 'incorrect_charge',
      jurisdiction: 'CN',
      consumerBody: '12315',
      filedFrom: '2026-01-01',
    });
    expect(filter).to.deep.equal({
      phase: 'escalated',
      category: 'incorrect_charge',
      jurisdiction: 'CN',
      consumerBody: '12315',
      filedAt: { $gte: new Date('2026-01-01T00:00:00Z') },
    });
    expect(caseFilter({ state: 'escalated.submitted' }).state).to.equal('escalated.submitted');
  });
});
