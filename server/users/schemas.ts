import { z } from 'zod';
import { PageLimit, objectIdString } from '../query-schemas.ts';
import { Locale, Role } from '../identity.ts';
import { isCommonPassword } from './passwords.ts';

export { Locale, Role };

export const Email = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());

/**
 * Long enough to resist guessing (ASVS 2.1.1) and not one attackers try first (2.1.7); the
 * upper bound keeps scrypt's input bounded.
 */
export const Password = z
  .string()
  .min(12, 'at least 12 characters')
  .max(200)
  .refine((value) => !isCommonPassword(value), 'too common: it is on lists attackers try first');

export const UserName = z.string().trim().min(1).max(120);

export const RegisterRequest = z
  .strictObject({
    email: Email,
    password: Password,
    name: UserName,
    locale: Locale.default('en'),
  })
  .meta({ id: 'RegisterRequest' });
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const CreateUserRequest = z
  .strictObject({
    email: Email,
    password: Password,
    name: UserName,
    role: Role,
    locale: Locale.default('en'),
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const UpdateUserRequest = z
  .strictObject({
    disabled: z.boolean().optional(),
    role: Role.optional(),
    name: UserName.optional(),
    locale: Locale.optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'nothing to change')
  .meta({ id: 'UpdateUserRequest' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const UserView = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: Role,
    locale: Locale,
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof UserView>;

export const ObjectIdParam = z.strictObject({
  id: objectIdString(),
});

export const ListUsersQuery = z.strictObject({
  role: Role.optional(),
  limit: PageLimit,
  after: objectIdString('cursor').optional(),
});

export const CreateComplainantRequest = z
  .strictObject({ email: Email, name: UserName, locale: Locale })
  .meta({ id: 'CreateComplainantRequest' });
export type CreateComplainantRequest = z.infer<typeof CreateComplainantRequest>;

export const ComplainantLookupQuery = z.strictObject({ email: Email });

export const ComplainantMatches = z
  .object({ items: z.array(UserView).max(1) })
  .meta({ id: 'ComplainantMatches' });

export const OfficerList = z
  .object({ items: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })) })
  .meta({ id: 'OfficerList' });

export const SetPasswordRequest = z
  .strictObject({ token: z.string().min(1).max(200), password: Password })
  .meta({ id: 'SetPasswordRequest' });
export type SetPasswordRequest = z.infer<typeof SetPasswordRequest>;
