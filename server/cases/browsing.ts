import type { AuthenticatedUser } from '../users/service.ts';
import type { CaseLister } from './list-cases.ts';
import type { ListCasesQuery } from './schemas.ts';
import type { ToView } from './views.ts';

/** The officers' dashboard from the kept totals: open cases by queue (`mine` for `officerId`). */
export function dashboardCounts(totals: Record<string, number>, officerId: string) {
  const at = (key: string) => totals[key] ?? 0;
  return {
    total: at('total'),
    open: at('open'),
    queues: {
      triage: at('triage'),
      mine: at(`mine:${officerId}`),
      unassigned: at('unassigned'),
      overdue: at('overdue'),
      urgent: at('urgent'),
      awaiting_complainant: at('awaiting_complainant'),
      awaiting_bank: at('awaiting_bank'),
      escalated: at('escalated'),
    },
  };
}

/** Lists and counts: many cases at once, read through the read models (list-cases.ts). */
export function createCaseBrowsing(deps: {
  lister: Pick<CaseLister, 'list'>;
  /** The queue counts kept with each change (queue-counts.ts). */
  totals(): Promise<Record<string, number>>;
  toView: ToView;
}) {
  const { lister, totals, toView } = deps;
  return {
    /** The officers' dashboard: open cases by queue (`mine` for the asking officer). */
    async queueCounts(actor: AuthenticatedUser) {
      return dashboardCounts(await totals(), actor.id);
    },

    /** In the order `sort` asks for, by cursor; complainants only ever see their own cases. */
    async list(actor: AuthenticatedUser, query: ListCasesQuery) {
      const { records, nextCursor, order } = await lister.list(actor, query);
      return {
        items: records.map((record) => {
          const { allowedEvents: _allowed, ...view } = toView(record, undefined);
          return view;
        }),
        nextCursor,
        order,
      };
    },
  };
}
