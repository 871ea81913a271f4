import {
  MACHINE_VERSION,
  allowedEventsFor,
  createComplaintMachine,
  durationFor,
  escalationReadiness,
  type Actor,
  type ComplaintMachine,
  type WorkflowPolicy,
} from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import type { CaseActor } from './actors.ts';
import type { FactsLoader } from './facts.ts';
import type { CaseRecord } from './model.ts';
import type { CaseView } from './schemas.ts';
import type { verifyChain } from './timeline.ts';
import { timelinessOfCase, type Timeliness } from '../../workflows/timeliness.ts';

export { factsOf } from './facts.ts';

export type MachineFor = (record: Pick<CaseRecord, 'machineVersion'>) => ComplaintMachine;

/** Cases keep the rules they were filed under: one machine per stored machineVersion. */
export function createMachines(policy: WorkflowPolicy) {
  const machines: Record<number, ComplaintMachine> = {
    [MACHINE_VERSION]: createComplaintMachine(policy),
  };
  const machineFor: MachineFor = (record) => {
    const machine = machines[record.machineVersion];
    if (!machine) throw new Error(`no workflow machine for version ${record.machineVersion}`);
    return machine;
  };
  return { current: machines[MACHINE_VERSION]!, machineFor };
}

export function verdictFields(verdict: ReturnType<typeof verifyChain>) {
  return verdict.verified
    ? { verified: true }
    : { verified: false, brokenAt: verdict.brokenAt, problem: verdict.problem };
}

/** The events `actor` may send now; none without an actor (lists carry no buttons). */
function allowedFor(machineFor: MachineFor, record: CaseRecord, actor: CaseActor | undefined) {
  if (!actor) return [];
  return allowedEventsFor(
    machineFor(record),
    { value: record.stateValue as never, context: record.context },
    actor as Actor,
    { ownerId: record.ownerId.toHexString() },
  );
}

/** The case as the API shows it: `toView` for lists, `toCaseView` for one case. */
export function createCaseViews(deps: {
  machineFor: MachineFor;
  policy: WorkflowPolicy;
  clock: Clock;
  factsOf: FactsLoader;
}) {
  // `timeliness` (issue 14): lists read cases without their timeline, and the clocks stand in.
  function toView(
    record: CaseRecord,
    actor: CaseActor | undefined,
  ): CaseView & { timeliness: Timeliness } {
    const context = record.context;
    const category = record.category as CaseView['category'];
    const clockFacts = { jurisdiction: record.jurisdiction, category };
    return {
      id: record._id.toHexString(),
      reference: record.reference,
      state: record.state,
      version: record.version,
      machineVersion: record.machineVersion,
      category,
      urgent: record.urgent,
      jurisdiction: record.jurisdiction,
      locale: record.locale,
      channel: record.channel,
      respondent: record.respondent,
      transaction: {
        occurredAt: record.transaction.occurredAt.toISOString(),
        ...(record.transaction.reference ? { reference: record.transaction.reference } : {}),
        amount: record.transaction.amount,
      },
      narrative: record.narrative,
      desiredOutcome: record.desiredOutcome,
      ownerId: record.ownerId.toHexString(),
      assigneeId: record.assigneeId?.toHexString() ?? null,
      consumerBody: record.consumerBody,
      overdue: record.overdue,
      deadlines: record.deadlines.map((deadline) => ({
        ...deadline,
        clock: durationFor(deps.policy, clockFacts, deadline.kind, deadline.extended ?? false),
      })),
      evidenceCount: record.evidenceCount,
      outcome: {
        response: context.responseOutcome,
        holdingResponse: context.holdingResponse,
        bodyReference: context.bodyReference,
        bodyDecision: context.bodyDecision,
        legalOutcome: context.legalOutcome,
      },
      filedAt: record.filedAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
      allowedEvents: allowedFor(deps.machineFor, record, actor),
      timeliness: timelinessOfCase(record, deps.policy, deps.clock.now().toISOString()),
    };
  }

  /**
   * One case, with whether it has what its consumer body requires: the owner's account is read
   * (by _id) for their contact details, so lists, which show many cases, go without it.
   */
  async function toCaseView(record: CaseRecord, actor: CaseActor | undefined): Promise<CaseView> {
    const facts = await deps.factsOf(record);
    const at = deps.clock.now().toISOString();
    return {
      ...toView(record, actor),
      escalation: escalationReadiness(deps.policy, { facts, context: record.context, at }),
    };
  }

  return { toView, toCaseView };
}
export type ToView = ReturnType<typeof createCaseViews>['toView'];
export type ToCaseView = ReturnType<typeof createCaseViews>['toCaseView'];
