import { expect } from 'chai';
import {
  addMonths,
  contactFactsLacking,
  DEFAULT_POLICY,
  escalationReadiness,
  missingFacts,
  requiredFacts,
} from '../../../workflows/index.ts';
import type { CaseFacts, RequirementInput } from '../../../workflows/index.ts';
import { factsFor, FILED_AT } from './fixtures.ts';

const answered = { filedAt: FILED_AT, finalResponseMissed: false, responseOutcome: 'rejected' };
const input = (facts: CaseFacts, at = '2026-03-20T09:00:00.000Z'): RequirementInput => ({
  facts,
  context: answered as RequirementInput['context'],
  at,
});
const codes = (facts: CaseFacts, at?: string) =>
  missingFacts(DEFAULT_POLICY, input(facts, at)).map((m) => m.fact);

describe('escalation requirements', () => {
  it("asks 12315's SAMR Order No. 20 art. 9 facts besides Redress's own", () => {
    expect(requiredFacts(DEFAULT_POLICY, factsFor('CN'))).to.deep.equal([
      'complainant.name',
      'complainant.phone',
      'complainant.postalAddress',
      'respondent.name',
      'respondent.addressOrRegistrationNumber',
      'transaction.date',
      'transaction.amount',
      'narrative',
      'desiredOutcome',
      'evidence',
    ]);
  });

  it('names each missing fact of a CN case by a stable code and an English label', () => {
    const facts = factsFor('CN', {
      respondent: { name: 'Acme Pay', kind: 'platform' },
      complainant: { name: 'Li Hua', phone: null, postalAddress: null },
    });
    expect(missingFacts(DEFAULT_POLICY, input(facts))).to.deep.equal([
      { fact: 'complainant.phone', label: "complainant's phone number" },
      { fact: 'complainant.postalAddress', label: "complainant's postal address" },
      {
        fact: 'respondent.addressOrRegistrationNumber',
        label:
          "respondent's address or registration number (in China, its unified social credit code)",
      },
    ]);
  });

  it('takes a unified social credit code instead of the respondent address in China', () => {
    const respondent = {
      name: 'Acme Pay',
      kind: 'platform' as const,
      registrationNumber: '91350100M000100Y43',
    };
    expect(codes(factsFor('CN', { respondent }))).to.deep.equal([]);
  });

  it('does not count an address without a street line or a town as an address', () => {
    const postalAddress = { lines: [' '], locality: 'Shanghai', country: 'CN' };
    const complainant = { name: 'Li Hua', phone: '+8613812345678', postalAddress };
    expect(codes(factsFor('CN', { complainant }))).to.deep.equal(['complainant.postalAddress']);
  });

  it('asks the CFPB for the state and ZIP code, and the FTC for no contact at all', () => {
    const postalAddress = { lines: ['1 Main St'], locality: 'Springfield', country: 'US' };
    const complainant = { name: 'Pat', phone: null, postalAddress };
    const platform = factsFor('US', { complainant });
    expect(codes(platform)).to.deep.equal(['complainant.regionAndPostalCode']);
    const merchant = factsFor('US', {
      complainant: { name: '', phone: null, postalAddress: null },
      respondent: { name: 'Shop', kind: 'merchant' },
    });
    expect(codes(merchant)).to.deep.equal([]);
  });

  it("refuses FOS more than six months after the platform's final response", () => {
    const facts = factsFor('GB', { finalResponseAt: '2026-03-10T12:00:00.000Z' });
    expect(codes(facts, '2026-09-10T12:00:00.000Z')).to.deep.equal([]);
    expect(codes(facts, '2026-09-10T12:00:01.000Z')).to.deep.equal([
      'finalResponseWithinSixMonths',
    ]);
  });

  it('asks an EU ADR body for a prior complaint to the trader, answered or timed out', () => {
    const facts = factsFor('DE');
    const waiting = { ...input(facts), context: { ...answered, responseOutcome: null } };
    expect(missingFacts(DEFAULT_POLICY, waiting as RequirementInput).map((m) => m.fact)).to.eql([
      'priorComplaint',
    ]);
    const timedOut = { ...waiting, context: { ...waiting.context, finalResponseMissed: true } };
    expect(missingFacts(DEFAULT_POLICY, timedOut as RequirementInput)).to.deep.equal([]);
    expect(codes(facts, '2027-03-02T09:00:01.000Z')).to.deep.equal(['withinOneYearOfComplaint']);
  });

  it('says where nobody takes escalations, and is ready where everything is there', () => {
    expect(escalationReadiness(DEFAULT_POLICY, input(factsFor('BR')))).to.deep.equal({
      body: null,
      ready: false,
      missing: [],
    });
    expect(escalationReadiness(DEFAULT_POLICY, input(factsFor('CN')))).to.deep.equal({
      body: { code: '12315', name: '全国12315平台 (SAMR)' },
      ready: true,
      missing: [],
    });
  });

  it("judges an account's contact details by the same rules as a case's, before one exists", () => {
    const wanted = ['complainant.phone', 'complainant.postalAddress', 'narrative'];
    expect(contactFactsLacking(wanted, undefined)).to.deep.equal([
      'complainant.phone',
      'complainant.postalAddress',
    ]);
    const address = { lines: ['1 Road'], locality: 'Hangzhou', country: 'CN' };
    expect(
      contactFactsLacking(wanted, { phone: '+8613812345678', postalAddress: address }),
    ).to.deep.equal([]);
    // An address without its country is not one a body can write to.
    const noCountry = { ...address, country: ' ' };
    expect(contactFactsLacking(wanted, { phone: null, postalAddress: noCountry })).to.deep.equal([
      'complainant.phone',
      'complainant.postalAddress',
    ]);
    expect(
      contactFactsLacking(['complainant.regionAndPostalCode'], {
        phone: null,
        postalAddress: address,
      }),
    ).to.deep.equal(['complainant.regionAndPostalCode']);
  });

  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(addMonths('2026-08-31T10:00:00.000Z', 6)).to.equal('2027-02-28T10:00:00.000Z');
    expect(addMonths('2026-03-10T12:00:00.000Z', 12)).to.equal('2027-03-10T12:00:00.000Z');
  });
});
