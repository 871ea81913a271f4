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

/** Contact details every consumer body accepts (12315's phone and address, the CFPB's ZIP). */
export const FULL_CONTACT = {
  phone: '+8613812345678',
  postalAddress: {
    lines: ['上海市浦东新区世纪大道 88 号'],
    locality: '上海市',
    region: '上海市',
    postalCode: '200120',
    country: 'CN',
  },
};

/**
 * Creates an account straight through the service and signs it in through HTTP. Complainants
 * get FULL_CONTACT unless `contact` says otherwise (null: none, as a new account has).
 */
export async function createUser(
  t: TestServer,
  role: Role,
  overrides: {
    email?: string;
    locale?: 'en' | 'zh-CN';
    name?: string;
    contact?: typeof FULL_CONTACT | null;
  } = {},
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
  const contact = overrides.contact === undefined ? FULL_CONTACT : overrides.contact;
  if (role === 'complainant' && contact) {
    await t.server.services.users.setContact(user.id, contact);
  }
  const login = await t.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
  const token = login.body.token as string;
  return { id: user.id, email, password, token, role, auth: { Authorization: `Bearer ${token}` } };
}
