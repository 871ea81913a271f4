import { z } from 'zod';

// Who is calling, as the neutral core (the HTTP router's access checks) and every domain
// folder see it. It lives here, below server/users/ and server/auth/, so that server/http/
// can check roles without importing a domain folder.

export const Role = z.enum(['complainant', 'officer', 'compliance', 'admin']);
export type Role = z.infer<typeof Role>;

export const Locale = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof Locale>;

/** The caller, as the rest of the server sees it after authentication. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
}
