import { expect } from 'chai';
import { complainantFactsOf, factsOf, UNKNOWN_COMPLAINANT } from '../../../server/cases/facts.ts';
import { filedCase } from './fixtures.ts';

describe('cases: the facts the rules see', () => {
  it("takes the complainant's contact from their account, and nothing without one", () => {
    const address = { lines: ['1 Road'], locality: 'Town', country: 'GB' };
    expect(
      complainantFactsOf({ name: 'Ann', phone: '+442079460958', postalAddress: address }),
    ).to.deep.equal({ name: 'Ann', phone: '+442079460958', postalAddress: address });
    expect(complainantFactsOf({ name: 'Ann' })).to.deep.equal({
      name: 'Ann',
      phone: null,
      postalAddress: null,
    });
    expect(complainantFactsOf(null)).to.equal(UNKNOWN_COMPLAINANT);
  });

  it("dates the platform's final response by its met clock, and forgets it once reopened", async () => {
    const record = await filedCase();
    const clock = (status: string, settledAt?: string) => ({
      kind: 'finalResponse' as const,
      startedAt: '2026-11-02T09:00:00.000Z',
      dueAt: null,
      status: status as 'met',
      ...(settledAt ? { settledAt } : {}),
    });
    const at = (deadlines: unknown[]) =>
      factsOf({ ...record, deadlines } as never, UNKNOWN_COMPLAINANT).finalResponseAt;
    expect(at([])).to.equal(null);
    expect(at([clock('met', '2026-11-10T10:00:00.000Z')])).to.equal('2026-11-10T10:00:00.000Z');
    expect(at([clock('missed', '2026-11-20T10:00:00.000Z')])).to.equal(null);
    expect(at([clock('met', '2026-11-10T10:00:00.000Z'), clock('running')])).to.equal(null);
  });

  it('passes the respondent address and registration number through when they exist', async () => {
    const record = await filedCase();
    const respondent = { ...record.respondent, registrationNumber: '91350100M000100Y43' };
    expect(factsOf({ ...record, respondent }, UNKNOWN_COMPLAINANT).respondent).to.deep.include({
      registrationNumber: '91350100M000100Y43',
      address: record.respondent.address,
    });
  });
});
