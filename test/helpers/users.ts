import type { TestServer } from './server.ts';
import type { Role } from '../../server/users/schemas.ts';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  role: Role;
  auth: { Authorization: string };
}

let sequence = 0;

/** Creates an account straight through the service and signs it in through HTTP. */
export async function createUser(
  t: TestServer,
  role: Role,
  overrides: { email?: string; locale?: 'en' | 'zh-CN'; name?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? `${role}${++sequence}@example.com`;
  const password = `pw-${role}-${sequence}-long-enough`;
  const user = await t.server.services.users.createUser({
    email,
    password,
    name: overrides.name ?? `${role} ${sequence}`,
    role,
    locale: overrides.locale ?? 'en',
  });
  const login = await t.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
  const token = login.body.token as string;
  return { id: user.id, email, password, token, role, auth: { Authorization: `Bearer ${token}` } };
}
