import { expect } from 'chai';
import { ASSIGNEE_TEMPLATES, COMPLAINANT_TEMPLATES } from '../../../../workflows/index.ts';
import {
  CATALOGS,
  escapeHtml,
  renderMessage,
  type CaseFactsForMail,
  type TemplateName,
} from '../../../../server/notifications/render.ts';

// Pure rendering, no database or SMTP: every kind of email in every language.
const ALL: TemplateName[] = [...COMPLAINANT_TEMPLATES, ...ASSIGNEE_TEMPLATES, 'deadlineWarning'];

const caseFacts: CaseFactsForMail = {
  reference: 'RD-2026-000042',
  state: 'escalated.submitted',
  deadlines: [
    {
      kind: 'bodyMediation',
      startedAt: '2026-11-02T09:00:00.000Z',
      dueAt: '2026-12-02T09:00:00.000Z',
      status: 'running',
    },
  ],
  consumerBody: 'FOS',
  respondent: { name: 'QuickPay <Ltd>' },
  context: { bodyReference: 'FOS-1', bodyDecision: null },
};

describe('email templates', () => {
  for (const [locale, catalog] of Object.entries(CATALOGS)) {
    it(`renders every kind in ${locale} with the reference in the subject and nothing missing`, () => {
      expect(Object.keys(catalog.templates)).to.have.members(ALL);
      for (const template of ALL) {
        const message = renderMessage({
          template,
          locale: catalog.locale,
          recipientName: 'A <b>reader</b>',
          caseFacts,
          entry: {
            type: 'RECORD_BODY_DECISION',
            data: { decision: 'unresolved', note: 'n', reason: 'r', question: 'q', answer: 'a' },
          },
          deadline: { kind: 'bodyMediation', dueAt: '2026-12-02T09:00:00.000Z' },
          caseUrl: 'https://redress.example/cases/abc?x=1&y="2"',
        });
        expect(message.subject, template).to.contain('RD-2026-000042').and.not.contain('\n');
        for (const part of [message.subject, message.text, message.html]) {
          expect(part, `${locale} ${template}`).not.to.match(/undefined|null|\[object/);
        }
        expect(message.html).to.contain('A &lt;b&gt;reader&lt;/b&gt;');
        expect(message.html).to.contain(
          'href="https://redress.example/cases/abc?x=1&amp;y=&quot;2&quot;"',
        );
        expect(message.text).to.contain('A <b>reader</b>');
      }
    });
  }

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
