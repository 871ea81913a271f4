import { Types } from 'mongoose';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { ApiRouter } from '../http/api-router.ts';
import type { PasswordLinks } from './password-links.ts';
import {
  ComplainantLookupQuery,
  ComplainantMatches,
  CreateComplainantRequest,
  ObjectIdParam,
  OfficerList,
  UserView,
} from './schemas.ts';
import { toUserView, type UserService } from './service.ts';
import { ContactView, UpdateContactRequest } from './contact.ts';

/** What opening an account needs from the notifications module (users sits below it). */
export interface AccountMailer {
  queueSetPasswordEmail(input: {
    userId: string;
    linkId: string;
    token: string;
    expiresAt: Date;
  }): Promise<unknown>;
}

const STAFF = ['officer', 'admin'] as const;

/**
 * Accounts for filing on someone's behalf (find or open the complainant's account, which then
 * gets a set-password email) and the officers a case can be assigned to.
 */
export function mountComplainantRoutes(
  api: ApiRouter,
  deps: { users: UserService; passwordLinks: PasswordLinks; mailer: AccountMailer },
): void {
  const { users, passwordLinks, mailer } = deps;

  /** A new link replaces older ones; the email leaves through the outbox. */
  async function sendLink(userId: string): Promise<void> {
    const link = await passwordLinks.issue(new Types.ObjectId(userId));
    await mailer.queueSetPasswordEmail({ userId, ...link });
  }

  api.get(
    '/complainants/:id',
    {
      summary:
        'A complainant account by id, for the staff working their case (name, email, language)',
      tags: ['users'],
      access: ['officer', 'admin', 'compliance'],
      params: ObjectIdParam,
      responses: { 200: { description: 'The account', schema: UserView } },
    },
    async ({ params }, _req, res) => {
      const found = await users.findById(params.id);
      if (!found || found.role !== 'complainant') throw new NotFoundError('complainant');
      res.setHeader('Cache-Control', 'no-store');
      res.json(toUserView(found));
    },
  );

  api.get(
    '/complainants',
    {
      summary:
        'Find a complainant account by email: zero or one item (never a 404, so a browser logs no error)',
      tags: ['users'],
      access: STAFF,
      query: ComplainantLookupQuery,
      responses: {
        200: { description: 'The matching account, if any', schema: ComplainantMatches },
      },
    },
    async ({ query }, _req, res) => {
      const found = await users.findByEmail(query.email);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ items: found && found.role === 'complainant' ? [toUserView(found)] : [] });
    },
  );

  api.post(
    '/complainants',
    {
      summary:
        'Open a complainant account on their behalf: no usable password until they set one with the link emailed to them (valid 7 days, once)',
      tags: ['users'],
      access: STAFF,
      body: CreateComplainantRequest,
      responses: {
        201: { description: 'Opened; the set-password email is queued', schema: UserView },
        409: { description: 'An account with this email already exists' },
      },
    },
    async ({ body }, _req, res) => {
      const created = await users.createWithoutPassword(body);
      await sendLink(created.id);
      res.status(201).json(created);
    },
  );

  api.post(
    '/complainants/:id/password-link',
    {
      summary:
        'Email a complainant a new set-password link (older links stop working), e.g. when theirs expired',
      tags: ['users'],
      access: STAFF,
      params: ObjectIdParam,
      responses: {
        204: { description: 'The email is queued' },
        409: { description: 'The account is disabled' },
      },
    },
    async ({ params }, _req, res) => {
      const found = await users.findById(params.id);
      if (!found || found.role !== 'complainant') throw new NotFoundError('complainant');
      if (found.disabled) throw new ConflictError('The account is disabled.');
      await sendLink(params.id);
      res.status(204).end();
    },
  );

  api.get(
    '/complainants/:id/contact',
    {
      summary: "A complainant's contact details, for the staff working or filing their case",
      tags: ['users'],
      access: ['officer', 'admin', 'compliance'],
      params: ObjectIdParam,
      responses: { 200: { description: 'Their contact details', schema: ContactView } },
    },
    async ({ params }, _req, res) => {
      const contact = await users.contactOf(params.id);
      if (!contact) throw new NotFoundError('complainant');
      res.setHeader('Cache-Control', 'no-store');
      res.json(contact);
    },
  );

  api.put(
    '/complainants/:id/contact',
    {
      summary:
        "Replace a complainant's contact details when filing or working on their behalf (as PUT /me/contact)",
      tags: ['users'],
      access: ['officer'],
      params: ObjectIdParam,
      body: UpdateContactRequest,
      responses: {
        200: { description: 'Their contact details now', schema: ContactView },
        400: { description: 'A malformed phone number or address; nothing is changed' },
        409: { description: 'The account is disabled (e.g. the CFPB import placeholder)' },
      },
    },
    async ({ params, body }, _req, res) => {
      // Imported complaints share one disabled placeholder owner: contact details saved there
      // would be every imported consumer's, and nobody can read them on that account anyway.
      const found = await users.findById(params.id);
      if (!found || found.role !== 'complainant') throw new NotFoundError('complainant');
      if (found.disabled) throw new ConflictError('The account is disabled.');
      const contact = await users.setContact(params.id, body);
      if (!contact) throw new NotFoundError('complainant');
      res.setHeader('Cache-Control', 'no-store');
      res.json(contact);
    },
  );

  api.get(
    '/officers',
    {
      summary: 'Enabled officer accounts by name, for assigning cases',
      tags: ['users'],
      access: STAFF,
      responses: { 200: { description: 'Officers', schema: OfficerList } },
    },
    async (_input, _req, res) => {
      res.json({ items: await users.listOfficers() });
    },
  );
}
