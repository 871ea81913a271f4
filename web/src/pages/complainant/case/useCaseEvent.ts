import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiProblem, unwrap, type Schemas } from '../../../api/client';
import { refreshCase } from '../../../components/case/queries';

type CaseEvent = Schemas['CaseEvent'];

export interface EventState {
  busy: boolean;
  /** The case changed since it was shown (409): reloaded, and what was typed is kept. */
  conflict: boolean;
  failure: unknown;
  /** Sends the event against the version shown; true when the server took it. */
  send(event: CaseEvent): Promise<boolean>;
}

/** POST /cases/:id/events with expectedVersion, then refresh the case, history and lists. */
export function useCaseEvent(caseId: string, version: number): EventState {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  async function send(event: CaseEvent): Promise<boolean> {
    setBusy(true);
    setConflict(false);
    setFailure(null);
    try {
      await unwrap(
        api.POST('/api/v1/cases/{id}/events', {
          params: { path: { id: caseId } },
          body: { ...event, expectedVersion: version } as CaseEvent,
        }),
      );
      await refreshCase(queryClient, caseId);
      return true;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 409) {
        setConflict(true);
        await refreshCase(queryClient, caseId);
      } else {
        setFailure(error);
      }
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, conflict, failure, send };
}
