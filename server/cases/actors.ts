import type { AuthenticatedUser } from '../users/service.ts';
import type { CaseRecord } from './model.ts';

/** Who acts: a signed-in user, or the system (deadlines). */
export type CaseActor = Pick<AuthenticatedUser, 'id' | 'role'> | { id: 'system'; role: 'system' };

export const SYSTEM_ACTOR: CaseActor = { id: 'system', role: 'system' };

/** Loads a case `actor` may see (a stranger's is a 404), rolled forward to its journal. */
export type LoadVisible = (actor: CaseActor, id: string) => Promise<CaseRecord>;
