import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';

export type CaseData = Schemas['Case'];
export type TimelineData = Schemas['Timeline'];
export type TimelineEntry = TimelineData['entries'][number];
export type EvidenceData = Schemas['EvidenceList'];

export const caseKey = (id: string) => ['case', id] as const;
export const timelineKey = (id: string) => ['timeline', id] as const;
export const evidenceKey = (id: string) => ['evidence', id] as const;

export function useCase(id: string) {
  return useQuery({
    queryKey: caseKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}', { params: { path: { id } } })),
  });
}

export function useTimeline(id: string) {
  return useQuery({
    queryKey: timelineKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/timeline', { params: { path: { id } } })),
  });
}

export function useEvidence(id: string) {
  return useQuery({
    queryKey: evidenceKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/evidence', { params: { path: { id } } })),
  });
}

/** After anything changes a case: its facts, history, evidence and every list it is in. */
export async function refreshCase(queryClient: QueryClient, id: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: caseKey(id) }),
    queryClient.invalidateQueries({ queryKey: timelineKey(id) }),
    queryClient.invalidateQueries({ queryKey: evidenceKey(id) }),
    queryClient.invalidateQueries({ queryKey: ['cases'] }),
  ]);
}

/** An error in words for a status line: the API's own detail, or that the network failed. */
export function problemText(error: unknown, t: (key: 'errors.network') => string): string {
  if (error instanceof ApiProblem) return error.detail || error.title;
  if (error instanceof TypeError) return t('errors.network');
  return error instanceof Error ? error.message : String(error);
}
