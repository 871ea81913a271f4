/** The complaint body every benchmark files; `i` varies category, jurisdiction and amounts. */
export function benchComplaint(i = 0): Record<string, unknown> {
  return {
    category: i % 3 === 0 ? 'unauthorized_transaction' : 'refund_not_received',
    jurisdiction: i % 2 === 0 ? 'CN' : 'US',
    locale: i % 2 === 0 ? 'zh-CN' : 'en',
    respondent: { name: 'Bench Pay', kind: 'platform' },
    transaction: {
      occurredAt: '2026-11-01T10:00:00Z',
      reference: `TX${i}`,
      amount: { amountMinor: 129_900 + i, currency: i % 2 === 0 ? 'CNY' : 'USD' },
    },
    narrative: 'A charge I did not make appeared on my wallet statement. '.repeat(4),
    desiredOutcome: 'Refund the charge',
    channel: 'web',
  };
}
