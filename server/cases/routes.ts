import type { ApiRouter } from '../http/api-router.ts';
import { fieldsIn } from '../http/problem.ts';
import { EventPayload, WorkflowDescription } from '../../workflows/index.ts';
import {
  AddNoteRequest,
  CaseEventRequest,
  CaseIdParams,
  CasePage,
  CaseView,
  FileComplaint,
  ListCasesQuery,
  QueueCountsView,
  TimelineEntryView,
  TimelineView,
} from './schemas.ts';
import type { CaseService } from './service.ts';
import type { Idempotency } from '../http/idempotency.ts';

const READERS = ['complainant', 'officer', 'compliance'] as const;

export function mountCaseRoutes(
  api: ApiRouter,
  deps: { cases: CaseService; idempotency: Idempotency },
): void {
  const { cases, idempotency } = deps;

  api.post(
    '/cases',
    {
      summary: 'File a complaint (a complainant for themselves, an officer on behalf of one)',
      tags: ['cases'],
      access: ['complainant', 'officer'],
      body: FileComplaint,
      responses: { 201: { description: 'Filed', schema: CaseView } },
    },
    async ({ body, user }, req, res) => {
      await idempotency.respond(req, res, user.id, async () => {
        const view = await fieldsIn('body', () => cases.file(user, body));
        res.location(`/api/v1/cases/${view.id}`);
        return { status: 201, body: view };
      });
    },
  );

  api.get(
    '/cases',
    {
      summary: 'List cases, newest first (complainants see their own)',
      tags: ['cases'],
      access: READERS,
      query: ListCasesQuery,
      responses: { 200: { description: 'A page of cases', schema: CasePage } },
    },
    async ({ query, user }, _req, res) => {
      res.json(await cases.list(user, query));
    },
  );

  api.get(
    '/cases/counts',
    {
      summary: "Open cases by queue, for the officers' dashboard (kept with each change)",
      tags: ['cases'],
      access: ['officer', 'compliance', 'admin'],
      responses: { 200: { description: 'Counts', schema: QueueCountsView } },
    },
    async ({ user }, _req, res) => {
      res.json(await cases.queueCounts(user));
    },
  );

  api.get(
    '/cases/:id',
    {
      summary: 'A case with its deadlines and the events the caller may send now',
      tags: ['cases'],
      access: READERS,
      params: CaseIdParams,
      responses: { 200: { description: 'The case', schema: CaseView } },
    },
    async ({ params, user }, _req, res) => {
      res.json(await cases.get(user, params.id));
    },
  );

  api.post(
    '/cases/:id/events',
    {
      summary: 'Advance the workflow',
      tags: ['cases'],
      access: ['complainant', 'officer'],
      params: CaseIdParams,
      body: CaseEventRequest,
      responses: {
        200: { description: 'The case after the event', schema: CaseView },
        409: { description: 'The state does not take this event, or the version is stale' },
        422: {
          description:
            'A workflow rule refuses the event now; `reason` says which. A refused ESCALATE also lists `missing: [{fact, label}]`, what the consumer body requires and the case lacks',
        },
      },
    },
    async ({ params, body, user }, req, res) => {
      const { expectedVersion, ...rest } = body;
      const payload = EventPayload.parse(rest);
      await idempotency.respond(req, res, user.id, async () => ({
        status: 200,
        body: await fieldsIn('body', () =>
          cases.applyEvent(user, params.id, payload, expectedVersion),
        ),
      }));
    },
  );

  api.post(
    '/cases/:id/notes',
    {
      summary:
        'Add an internal note: sealed into the hash chain, read by officers and compliance, never shown or mailed to the complainant',
      tags: ['cases'],
      access: ['officer', 'admin'],
      params: CaseIdParams,
      body: AddNoteRequest,
      responses: {
        201: { description: 'The NOTE timeline entry', schema: TimelineEntryView },
      },
    },
    async ({ params, body, user }, req, res) => {
      await idempotency.respond(req, res, user.id, async () => ({
        status: 201,
        body: await cases.addNote(user, params.id, body.text),
      }));
    },
  );

  api.get(
    '/cases/:id/timeline',
    {
      summary: 'The hash-chained history of a case, verified',
      tags: ['cases'],
      access: READERS,
      params: CaseIdParams,
      responses: { 200: { description: 'Timeline', schema: TimelineView } },
    },
    async ({ params, user }, _req, res) => {
      res.json(await cases.timeline(user, params.id));
    },
  );

  api.get(
    '/workflow',
    {
      summary: 'The complaint workflow: states, events, roles and the deadline policy',
      tags: ['workflow'],
      access: 'public',
      responses: {
        200: { description: 'The workflow', schema: WorkflowDescription },
      },
    },
    async (_input, _req, res) => {
      res.json(cases.describeWorkflow());
    },
  );
}
