import { expect } from 'chai';
import { renderMessage } from '../../../server/notifications/render.ts';
import {
  BODY_DECISION_LABELS,
  DEADLINE_KIND_LABELS,
  STATE_LABELS,
} from '../../../workflows/labels.ts';

// The emails name states, clocks and decisions with the label table the dossier and the web app
// use, never with the codes.
describe('email words for workflow codes', () => {
  const render = (locale: 'en' | 'zh-CN') =>
    renderMessage({
      template: 'bodyDecided',
      locale,
      recipientName: 'Reader',
      caseFacts: {
        reference: 'RD-2026-000007',
        state: 'escalated.decided',
        deadlines: [],
        consumerBody: '12315',
        respondent: { name: 'Pay Co' },
        context: { bodyReference: 'B-1', bodyDecision: 'unresolved' },
      },
      entry: { type: 'DEADLINE_PASSED', data: { deadline: 'bodyMediation' } },
      deadline: null,
      caseUrl: null,
    });

  it('in Chinese, the table’s words as they are', () => {
    const { text } = render('zh-CN');
    expect(text).to.contain(STATE_LABELS['escalated.decided']['zh-CN']);
    expect(text).to.contain(BODY_DECISION_LABELS.unresolved['zh-CN']);
    expect(text).not.to.match(/escalated\.|unresolved/);
  });

  it('in English, the table’s words in lower case inside a sentence', () => {
    const { text } = render('en');
    expect(text).to.contain(`Status: ${STATE_LABELS['escalated.decided'].en.toLowerCase()}`);
    expect(text).to.contain(BODY_DECISION_LABELS.unresolved.en.toLowerCase());
    expect(text).not.to.match(/escalated\.|unresolved/);
  });

  it('names a deadline as a noun phrase a sentence can carry', () => {
    const { text } = renderMessage({
      template: 'deadlinePassed',
      locale: 'en',
      recipientName: 'Officer',
      caseFacts: {
        reference: 'RD-2026-000008',
        state: 'filed',
        deadlines: [],
        consumerBody: null,
        respondent: { name: 'Pay Co' },
        context: { bodyReference: null, bodyDecision: null },
      },
      entry: null,
      deadline: { kind: 'acknowledge', dueAt: '2026-11-03T09:00:00.000Z' },
      caseUrl: null,
    });
    expect(text).to.contain(`The ${DEADLINE_KIND_LABELS.acknowledge.en.toLowerCase()} deadline`);
  });
});
