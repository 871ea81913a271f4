// workflows/contact-facts.ts, not requirements.ts: that would bring the whole policy into the
// complainant's first load.
import { CONTACT_FACT_CODES } from '../../../../workflows/contact-facts.ts';

// Which of the facts a consumer body requires (workflows/requirements.ts FACT_CODES) each form
// completes: the account's contact details (ContactForm) or the case's company details
// (UPDATE_DETAILS). The others come with the complaint itself or its evidence.
export const CONTACT_FACTS: readonly string[] = CONTACT_FACT_CODES;
export const RESPONDENT_FACT = 'respondent.addressOrRegistrationNumber';

export const needsContact = (facts: readonly string[]): boolean =>
  facts.some((fact) => CONTACT_FACTS.includes(fact));
