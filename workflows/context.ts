import type { Actor, BodyDecision, CaseFacts, LegalOutcome, ResponseOutcome } from './events.ts';
import { consumerBodyFor } from './policy.ts';
import type { WorkflowPolicy } from './policy.ts';
import { isUrgent } from './taxonomy.ts';
import type { Category } from './taxonomy.ts';

/**
 * The machine's memory, stored on the case next to the state value. Plain JSON, no keys with
 * dots or `$`, so it persists as is on MongoDB and FerretDB. `jurisdiction`, `category` and
 * `urgent` are as filed; guards read the current facts from each event instead.
 */
export type ComplaintContext = {
  jurisdiction: string;
  category: Category;
  urgent: boolean;
  filedAt: string;
  assigneeId: string | null;
  /** The body the case would go to; fixed for good when the complainant escalates. */
  consumerBody: string | null;
  holdingResponse: boolean;
  responseOutcome: ResponseOutcome | null;
  responseRejected: boolean;
  finalResponseMissed: boolean;
  bodyReference: string | null;
  bodyDecision: BodyDecision | null;
  legalOutcome: LegalOutcome | null;
  /** When the case last entered resolved, closed or withdrawn: the start of the reopen window. */
  terminalAt: string | null;
  reopenCount: number;
};

/** What filing a case gives the machine: the filer, the server's clock and the facts as filed. */
export type ComplaintInput = { actor: Actor; at: string; facts: CaseFacts };

export function initialContext(input: ComplaintInput, policy: WorkflowPolicy): ComplaintContext {
  const { facts } = input;
  return {
    jurisdiction: facts.jurisdiction,
    category: facts.category,
    urgent: isUrgent(facts.category),
    filedAt: input.at,
    assigneeId: facts.assigneeId,
    consumerBody: consumerBodyFor(policy, facts.jurisdiction, facts.respondent.kind),
    holdingResponse: false,
    responseOutcome: null,
    responseRejected: false,
    finalResponseMissed: false,
    bodyReference: null,
    bodyDecision: null,
    legalOutcome: null,
    terminalAt: null,
    reopenCount: 0,
  };
}
