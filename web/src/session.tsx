import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import { api, unwrap, type User } from './api/client';

interface Session {
  user: User | null;
  loading: boolean;
  signIn(email: string, password: string): Promise<User>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
export const ME_QUERY = ['me'] as const;

async function fetchMe(): Promise<User | null> {
  return (await unwrap(api.GET('/api/v1/auth/session'))).user;
}

/**
 * Another person's data must not survive a change of user. The session query itself stays,
 * because its observer would otherwise keep watching a query no longer in the cache.
 */
function forgetAllButSession(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_QUERY[0] });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({ queryKey: ME_QUERY, queryFn: fetchMe, staleTime: 60_000 });

  const value = useMemo<Session>(
    () => ({
      user: me.data ?? null,
      loading: me.isPending,
      async signIn(email, password) {
        const session = await unwrap(
          api.POST('/api/v1/auth/session', { body: { email, password } }),
        );
        forgetAllButSession(queryClient);
        queryClient.setQueryData(ME_QUERY, session.user);
        return session.user;
      },
      async signOut() {
        // Signed out here first, so the pages that poll (the queue, My cases) unmount and their
        // requests in flight are cancelled before the server revokes the session: none of them
        // can then meet a 401.
        await queryClient.cancelQueries({
          predicate: (query) => query.queryKey[0] !== ME_QUERY[0],
        });
        queryClient.setQueryData(ME_QUERY, null);
        forgetAllButSession(queryClient);
        await api.POST('/api/v1/auth/logout');
      },
    }),
    [me.data, me.isPending, queryClient],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
