import { z } from 'zod';
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { ASSIGNEE_TEMPLATES, COMPLAINANT_TEMPLATES, WORKFLOW_ACTION_TYPES } from './actions.ts';
import type { WorkflowAction } from './actions.ts';
import { MACHINE_VERSION, policyOf } from './complaint-machine.ts';
import type { ComplaintMachine } from './complaint-machine.ts';
import { EVENT_PAYLOADS, EVENT_ROLES, EVENT_TYPES } from './events.ts';
import type { EventType } from './events.ts';
import {
  consumerBodyInfoFor,
  DeadlineKind,
  FactCode,
  POLICY_KEYS,
  WorkflowPolicy,
} from './policy.ts';
import { requiredFacts } from './requirements.ts';
import { EU_STATES, RESPONDENT_KINDS, Role } from './taxonomy.ts';

// The shapes `describeWorkflow` returns, as zod schemas: `GET /api/v1/workflow` documents its
// response with them, and the types below are inferred from them, so the two cannot drift.

const NoParams = z.strictObject({});

/** A side effect as the description shows it: the same objects `decide` returns. */
export const WorkflowActionDescription = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('notify'),
      params: z.union([
        z.object({ template: z.enum(COMPLAINANT_TEMPLATES), to: z.literal('complainant') }),
        z.object({ template: z.enum(ASSIGNEE_TEMPLATES), to: z.literal('assignee') }),
      ]),
    }),
    z.object({ type: z.literal('startDeadline'), params: z.object({ kind: DeadlineKind }) }),
    z.object({ type: z.literal('pauseDeadlines'), params: NoParams }),
    z.object({ type: z.literal('resumeDeadlines'), params: NoParams }),
    z.object({
      type: z.literal('extendDeadline'),
      params: z.object({ kind: z.literal('finalResponse') }),
    }),
    z.object({
      type: z.literal('settleDeadlines'),
      params: z.object({
        kinds: z.array(DeadlineKind),
        status: z.enum(['met', 'missed', 'cancelled']),
      }),
    }),
  ])
  .meta({ id: 'WorkflowAction' });

export const TransitionDescription = z
  .object({
    event: z.string(),
    target: z
      .string()
      .nullable()
      .describe(
        'Dotted path of the target state; null when the event acts in place (ASSIGN, a holding response)',
      ),
    guard: z
      .string()
      .nullable()
      .describe(
        "The rule that must pass besides the sender's role; null when only the role matters",
      ),
    actions: z.array(WorkflowActionDescription),
  })
  .meta({ id: 'WorkflowTransition' });
export type TransitionDescription = z.infer<typeof TransitionDescription>;

export type StateDescription = {
  key: string;
  path: string;
  description: string | null;
  initial: string | null;
  entry: z.infer<typeof WorkflowActionDescription>[];
  transitions: TransitionDescription[];
  states: StateDescription[];
};
// Recursive (states nest), so the type is written out and the schema checked against it.
export const StateDescription: z.ZodType<StateDescription> = z
  .object({
    key: z.string(),
    path: z.string().describe('Dotted path from the top level, e.g. escalated.submitted'),
    description: z.string().nullable(),
    initial: z.string().nullable().describe('Key of the initial substate; null for a leaf'),
    entry: z.array(WorkflowActionDescription),
    transitions: z.array(TransitionDescription),
    get states() {
      return z.array(StateDescription);
    },
  })
  .meta({ id: 'WorkflowState' });

export const PayloadField = z
  .object({
    name: z.string(),
    required: z.boolean(),
    type: z.string(),
    enum: z.array(z.string()).optional(),
    minLength: z.number().int().optional(),
    maxLength: z.number().int().optional(),
  })
  .meta({ id: 'WorkflowPayloadField' });
export type PayloadField = z.infer<typeof PayloadField>;

export const EventDescription = z
  .object({
    type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
    roles: z.array(Role),
    ownerOnly: z.boolean().describe('A complainant may send it only for a case they filed'),
    payload: z.array(PayloadField),
    acceptedIn: z
      .array(z.string())
      .describe('Dotted paths of the states that take the event (their substates take it too)'),
  })
  .meta({ id: 'WorkflowEvent' });
export type EventDescription = z.infer<typeof EventDescription>;

export const WorkflowDescription = z
  .object({
    machineId: z.string(),
    machineVersion: z.number().int(),
    initial: z.string(),
    states: z.array(StateDescription),
    events: z.array(EventDescription),
    policy: WorkflowPolicy.extend({
      euStates: z.array(z.enum(EU_STATES)),
      consumerBodies: z
        .record(z.enum(POLICY_KEYS), z.record(z.enum(RESPONDENT_KINDS), z.string().nullable()))
        .describe('Policy row → respondent kind → consumer body code (null: none)'),
      bodyRequirements: z
        .record(z.enum(POLICY_KEYS), z.record(z.enum(RESPONDENT_KINDS), z.array(FactCode)))
        .describe(
          "Policy row → respondent kind → the facts that row's consumer body requires before escalation (Redress's base facts included; empty: no body)",
        ),
    }),
  })
  .meta({ id: 'Workflow' });
export type WorkflowDescription = z.infer<typeof WorkflowDescription>;

const pathOf = (node: AnyStateNode): string => node.path.join('.');
const children = (node: AnyStateNode): AnyStateNode[] => Object.values(node.states);

function guardOf(t: AnyTransitionDefinition): string | null {
  const guard: unknown = t.guard;
  const name =
    typeof guard === 'string'
      ? guard
      : guard && typeof guard === 'object' && 'type' in guard
        ? String(guard.type)
        : null;
  return name === 'actorAllowed' ? null : name;
}

function workflowActions(actions: readonly unknown[]): WorkflowAction[] {
  return actions
    .filter(
      (a): a is WorkflowAction =>
        !!a &&
        typeof a === 'object' &&
        'type' in a &&
        (WORKFLOW_ACTION_TYPES as readonly string[]).includes(String(a.type)),
    )
    .map((a) => structuredClone({ type: a.type, params: a.params ?? {} }) as WorkflowAction);
}

function ownTransitions(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...node.transitions.values()].flat();
}

function describeTransition(t: AnyTransitionDefinition): TransitionDescription {
  const target = t.target?.[0];
  return {
    event: t.eventType,
    target: target ? pathOf(target) : null,
    guard: guardOf(t),
    actions: workflowActions(t.actions),
  };
}

function describeState(node: AnyStateNode): StateDescription {
  const initialTarget = node.initial?.target?.[0];
  return {
    key: node.key,
    path: pathOf(node),
    description: node.description ?? null,
    initial: initialTarget ? initialTarget.key : null,
    entry: workflowActions(node.entry),
    transitions: ownTransitions(node).map(describeTransition),
    states: children(node).map(describeState),
  };
}

function payloadFields(type: EventType): PayloadField[] {
  const schema = z.toJSONSchema(EVENT_PAYLOADS[type]) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== 'type')
    .map(([name, prop]) => ({
      name,
      required: (schema.required ?? []).includes(name),
      type: typeof prop.type === 'string' ? prop.type : 'string',
      ...(Array.isArray(prop.enum) ? { enum: prop.enum as string[] } : {}),
      ...(typeof prop.minLength === 'number' ? { minLength: prop.minLength } : {}),
      ...(typeof prop.maxLength === 'number' ? { maxLength: prop.maxLength } : {}),
    }));
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...children(node).flatMap(allNodes)];
}

/**
 * The workflow as data for `GET /api/v1/workflow`: states with the events each takes and where
 * they lead, events with their senders and payload fields, and the policy table in force.
 */
export function describeWorkflow(
  machine: ComplaintMachine,
  policy: WorkflowPolicy = policyOf(machine),
): WorkflowDescription {
  const nodes = allNodes(machine.root).filter((n) => n !== machine.root);
  const consumerBodies: Record<string, Record<string, string | null>> = {};
  const bodyRequirements: Record<string, Record<string, FactCode[]>> = {};
  for (const key of POLICY_KEYS) {
    const sample = key === 'EU' ? 'DE' : key === 'default' ? 'ZZ' : key;
    consumerBodies[key] = Object.fromEntries(
      RESPONDENT_KINDS.map((kind) => [
        kind,
        consumerBodyInfoFor(policy, sample, kind)?.code ?? null,
      ]),
    );
    bodyRequirements[key] = Object.fromEntries(
      RESPONDENT_KINDS.map((kind) => [
        kind,
        requiredFacts(policy, { jurisdiction: sample, respondent: { name: '', kind } }),
      ]),
    );
  }
  return {
    machineId: machine.id,
    machineVersion: MACHINE_VERSION,
    initial: machine.root.initial?.target?.[0]?.key ?? '',
    states: children(machine.root).map(describeState),
    events: EVENT_TYPES.map((type) => ({
      type,
      roles: [...EVENT_ROLES[type]],
      ownerOnly: EVENT_ROLES[type].includes('complainant'),
      payload: payloadFields(type),
      acceptedIn: nodes.filter((n) => n.transitions.has(type)).map(pathOf),
    })),
    policy: structuredClone({
      ...policy,
      euStates: [...EU_STATES],
      consumerBodies,
      bodyRequirements,
    }),
  };
}

type Edge = { from: AnyStateNode; to: AnyStateNode; label: string };

function label(t: AnyTransitionDefinition): string {
  const guard = guardOf(t);
  return guard ? `${t.eventType} [${guard}]` : t.eventType;
}

function edgesAndLoops(machine: ComplaintMachine) {
  const edges: Edge[] = [];
  const inPlace = new Map<AnyStateNode, string[]>();
  for (const node of allNodes(machine.root)) {
    for (const t of ownTransitions(node)) {
      const target = t.target?.[0];
      if (target) edges.push({ from: node, to: target, label: label(t) });
      else inPlace.set(node, [...(inPlace.get(node) ?? []), label(t)]);
    }
  }
  return { edges, inPlace };
}

function assertUniqueKeys(machine: ComplaintMachine): void {
  const seen = new Set<string>();
  for (const node of allNodes(machine.root)) {
    if (node === machine.root) continue;
    if (seen.has(node.key))
      throw new Error(`state key ${node.key} is used twice; diagrams need unique keys`);
    seen.add(node.key);
  }
}

/** A Mermaid `stateDiagram-v2` of the machine, generated from its definition. */
export function toMermaid(machine: ComplaintMachine): string {
  // Mermaid identifies states by name across nesting levels, so keys must be unique.
  assertUniqueKeys(machine);
  const { edges, inPlace } = edgesAndLoops(machine);
  const lines = ['stateDiagram-v2', `  [*] --> ${machine.root.initial?.target?.[0]?.key ?? ''}`];

  const declare = (node: AnyStateNode, indent: string): void => {
    const kids = children(node);
    if (kids.length === 0) {
      lines.push(`${indent}state ${node.key}`);
      return;
    }
    lines.push(`${indent}state ${node.key} {`);
    lines.push(`${indent}  [*] --> ${node.initial?.target?.[0]?.key ?? ''}`);
    for (const kid of kids) declare(kid, `${indent}  `);
    lines.push(`${indent}}`);
  };
  for (const node of children(machine.root)) declare(node, '  ');

  for (const edge of edges) lines.push(`  ${edge.from.key} --> ${edge.to.key} : ${edge.label}`);
  for (const [node, labels] of inPlace) {
    lines.push(`  note right of ${node.key} : in place - ${labels.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

const dotId = (node: AnyStateNode): string => `"${pathOf(node)}"`;
const clusterId = (node: AnyStateNode): string => `"cluster_${pathOf(node)}"`;
const dotText = (text: string): string => text.replaceAll('\\', '\\\\').replaceAll('"', '\\"');

// Graphviz draws edges between nodes only; an edge to or from a compound state is anchored on
// its initial leaf and clipped at the cluster border (lhead/ltail).
function anchor(node: AnyStateNode): AnyStateNode {
  const initial = node.initial?.target?.[0];
  return initial ? anchor(initial) : node;
}

/** A Graphviz DOT rendering of the machine, for `dot -Tsvg`. */
export function toDot(machine: ComplaintMachine): string {
  const { edges, inPlace } = edgesAndLoops(machine);
  const lines = [
    `digraph ${machine.id} {`,
    '  compound=true;',
    '  rankdir=LR;',
    '  newrank=true;',
    '  ranksep=0.6;',
    '  nodesep=0.35;',
    '  fontname="Helvetica";',
    '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
    '  "__start" [shape=point, width=0.15];',
    `  "__start" -> ${dotId(anchor(machine.root))};`,
  ];
  const inPlaceText = (node: AnyStateNode): string => {
    const labels = inPlace.get(node);
    return labels ? `\\n(in place: ${dotText(labels.join(', '))})` : '';
  };
  const declare = (node: AnyStateNode, indent: string): void => {
    const kids = children(node);
    if (kids.length === 0) {
      lines.push(`${indent}${dotId(node)} [label="${dotText(node.key)}${inPlaceText(node)}"];`);
      return;
    }
    lines.push(`${indent}subgraph ${clusterId(node)} {`);
    lines.push(`${indent}  label="${dotText(node.key)}${inPlaceText(node)}";`);
    lines.push(`${indent}  style="rounded";`);
    for (const kid of kids) declare(kid, `${indent}  `);
    lines.push(`${indent}}`);
  };
  for (const node of children(machine.root)) declare(node, '  ');

  const order = allNodes(machine.root);
  for (const edge of edges) {
    const attrs = [`label="${dotText(edge.label)}"`];
    // Edges back to an earlier state (REOPEN) would otherwise pull the layout into a knot.
    if (order.indexOf(anchor(edge.to)) < order.indexOf(anchor(edge.from))) {
      attrs.push('constraint=false', 'style=dashed');
    }
    if (children(edge.from).length > 0) attrs.push(`ltail=${clusterId(edge.from)}`);
    if (children(edge.to).length > 0 && anchor(edge.to) !== anchor(edge.from)) {
      attrs.push(`lhead=${clusterId(edge.to)}`);
    }
    lines.push(`  ${dotId(anchor(edge.from))} -> ${dotId(anchor(edge.to))} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
