import { expect } from 'chai';
import {
  calendarFor,
  CATEGORIES,
  consumerBodyFor,
  consumerBodyInfoFor,
  DEFAULT_POLICY,
  durationFor,
  EU_STATES,
  isUrgent,
  legalThresholdFor,
  policyFor,
  policyKeyFor,
  ROLES,
  URGENT_CATEGORIES,
  WorkflowPolicy,
} from '../../../workflows/index.ts';

describe('workflow taxonomy', () => {
  it('keeps the eleven category codes of the design', () => {
    expect(CATEGORIES).to.have.length(11);
    expect(CATEGORIES).to.include.members(['incorrect_charge', 'account_compromised', 'other']);
  });

  it('treats unauthorized transactions and compromised accounts as urgent, nothing else', () => {
    expect([...URGENT_CATEGORIES]).to.have.members([
      'unauthorized_transaction',
      'account_compromised',
    ]);
    expect(CATEGORIES.filter(isUrgent)).to.have.members([...URGENT_CATEGORIES]);
  });

  it('lists the five roles and the 27 EU member states', () => {
    expect([...ROLES]).to.deep.equal(['complainant', 'officer', 'compliance', 'admin', 'system']);
    expect(new Set(EU_STATES).size).to.equal(27);
    expect(EU_STATES).to.include('GR').and.not.include('GB');
  });
});

describe('workflow policy', () => {
  it('is a valid, frozen policy', () => {
    expect(WorkflowPolicy.safeParse(DEFAULT_POLICY).success).to.equal(true);
    expect(Object.isFrozen(DEFAULT_POLICY.jurisdictions.CN.deadlines)).to.equal(true);
  });

  describe('the consumer body follows the jurisdiction', () => {
    const cases: Array<[string, 'platform' | 'merchant' | 'bank', string | null]> = [
      ['CN', 'platform', '12315'],
      ['CN', 'merchant', '12315'],
      ['US', 'platform', 'CFPB'],
      ['US', 'bank', 'CFPB'],
      ['US', 'merchant', 'FTC'],
      ['GB', 'platform', 'FOS'],
      ['DE', 'platform', 'ADR-DE'],
      ['FR', 'merchant', 'ADR-FR'],
      ['BR', 'platform', null],
      ['JP', 'bank', null],
    ];
    for (const [jurisdiction, kind, body] of cases) {
      it(`${jurisdiction} with a ${kind} respondent goes to ${body ?? 'no body'}`, () => {
        expect(consumerBodyFor(DEFAULT_POLICY, jurisdiction, kind)).to.equal(body);
      });
    }

    it('names the national ADR body with the member state', () => {
      expect(consumerBodyInfoFor(DEFAULT_POLICY, 'IT', 'platform')).to.deep.include({
        code: 'ADR-IT',
        name: 'national ADR entity (IT)',
      });
    });
  });

  it('resolves a jurisdiction to its own row, the EU row for member states, else default', () => {
    expect(policyKeyFor(DEFAULT_POLICY, 'CN')).to.equal('CN');
    expect(policyKeyFor(DEFAULT_POLICY, 'DE')).to.equal('EU');
    expect(policyKeyFor(DEFAULT_POLICY, 'BR')).to.equal('default');
    expect(policyFor(DEFAULT_POLICY, 'BR')).to.equal(DEFAULT_POLICY.jurisdictions.default);
  });

  it('lets a member state row override the EU row', () => {
    const policy: WorkflowPolicy = {
      ...DEFAULT_POLICY,
      jurisdictions: {
        ...DEFAULT_POLICY.jurisdictions,
        FR: { ...DEFAULT_POLICY.jurisdictions.EU, name: 'France', holidays: ['2026-07-14'] },
      },
    };
    expect(policyKeyFor(policy, 'FR')).to.equal('FR');
    expect(calendarFor(policy, 'FR').holidays).to.include('2026-07-14');
    expect(calendarFor(policy, 'DE').holidays).to.not.include('2026-07-14');
  });

  it('sets the legal threshold in the jurisdiction currency, none where nobody escalates', () => {
    expect(legalThresholdFor(DEFAULT_POLICY, 'CN')).to.deep.equal({
      amountMinor: 500_000,
      currency: 'CNY',
    });
    expect(legalThresholdFor(DEFAULT_POLICY, 'US')?.currency).to.equal('USD');
    expect(legalThresholdFor(DEFAULT_POLICY, 'GB')?.currency).to.equal('GBP');
    expect(legalThresholdFor(DEFAULT_POLICY, 'AT')?.currency).to.equal('EUR');
    expect(legalThresholdFor(DEFAULT_POLICY, 'BR')).to.equal(null);
  });

  it('gives urgent categories the shorter acknowledge clock', () => {
    const cn = (category: 'unauthorized_transaction' | 'poor_service') =>
      durationFor(DEFAULT_POLICY, { jurisdiction: 'CN', category }, 'acknowledge');
    expect(cn('unauthorized_transaction')).to.deep.equal({ amount: 24, unit: 'hours' });
    expect(cn('poor_service')).to.deep.equal({ amount: 1, unit: 'workingDays' });
    const gb = durationFor(
      DEFAULT_POLICY,
      { jurisdiction: 'GB', category: 'account_compromised' },
      'acknowledge',
    );
    expect(gb).to.deep.equal({ amount: 1, unit: 'businessDays' });
  });

  it('holds the final-response table of the design', () => {
    const final = (jurisdiction: string, extended: boolean) =>
      durationFor(DEFAULT_POLICY, { jurisdiction, category: 'other' }, 'finalResponse', extended);
    expect(final('CN', false)).to.deep.equal({ amount: 15, unit: 'workingDays' });
    expect(final('CN', true)).to.deep.equal({ amount: 60, unit: 'calendarDays' });
    expect(final('US', false)).to.deep.equal({ amount: 15, unit: 'calendarDays' });
    expect(final('US', true)).to.deep.equal({ amount: 60, unit: 'calendarDays' });
    expect(final('GB', true)).to.deep.equal({ amount: 35, unit: 'businessDays' });
    expect(final('DE', false)).to.deep.equal({ amount: 15, unit: 'businessDays' });
    expect(final('BR', false)).to.deep.equal({ amount: 30, unit: 'calendarDays' });
    expect(final('BR', true)).to.equal(null);
  });

  it('gives the 12315 clocks of the SAMR rules: 7 working days to accept, 45 to mediate', () => {
    const facts = { jurisdiction: 'CN', category: 'other' as const };
    expect(durationFor(DEFAULT_POLICY, facts, 'bodyAcceptance')).to.deep.equal({
      amount: 7,
      unit: 'workingDays',
    });
    expect(durationFor(DEFAULT_POLICY, facts, 'bodyMediation')).to.deep.equal({
      amount: 45,
      unit: 'workingDays',
    });
    expect(
      durationFor(DEFAULT_POLICY, { ...facts, jurisdiction: 'BR' }, 'bodyAcceptance'),
    ).to.equal(null);
  });

  it('keeps each country to its own holidays', () => {
    expect(calendarFor(DEFAULT_POLICY, 'CN').holidays).to.include('2026-02-17');
    expect(calendarFor(DEFAULT_POLICY, 'CN').makeUpWorkingDays).to.include('2026-02-14');
    expect(calendarFor(DEFAULT_POLICY, 'GB').holidays).to.not.include('2026-02-17');
    expect(calendarFor(DEFAULT_POLICY, 'GB').holidays).to.include('2026-04-03');
  });
});
