import { z } from 'zod';
import { Email, UserView } from '../users/schemas.ts';

export const LoginRequest = z
  .strictObject({ email: Email, password: z.string().min(1).max(200) })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z
  .object({ token: z.string(), expiresAt: z.string(), user: UserView })
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const BrowserSession = z
  .object({ expiresAt: z.string(), user: UserView, csrfToken: z.string() })
  .meta({ id: 'BrowserSession' });
export type BrowserSession = z.infer<typeof BrowserSession>;

export const CurrentSession = z
  .object({ user: UserView.nullable(), csrfToken: z.string().optional() })
  .meta({ id: 'CurrentSession' });
export type CurrentSession = z.infer<typeof CurrentSession>;
