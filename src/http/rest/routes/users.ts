import { z } from 'zod';
import type { User } from '../../../domain/types.js';
import type { Services } from '../../../services/services.js';
import { LIST_FILTER_FIELDS, LIST_SORT_FIELDS, visibleUser } from '../../../services/user-directory.js';
import { pageOf, paged, pageQuery, parseFields, parseFilter, parseSort } from '../pagination.js';
import { failure, forbidden, meteorFailure } from '../rest-error.js';
import { defineRoute, type Route } from '../route.js';
import { doc, id } from './shapes.js';

const text = z.string().max(1024);
const fieldsParam = z.string().max(4096).optional();

/** Fields a `fields` projection may name (others are refused; secrets are never sent anyway). */
const PROJECTABLE = [
  '_id', 'username', 'name', 'status', 'statusText', 'statusConnection', 'active', 'type', 'roles', 'emails', 'createdAt',
  '_updatedAt', 'lastLogin', 'bio', 'nickname', 'avatarETag', 'utcOffset', 'requirePasswordChange', 'settings', 'customFields', 'userRooms',
];

/** users.create's body (Rocket.Chat's UserCreateParamsPOST; no other keys). */
const userFields = {
  email: z.string().max(254),
  name: text,
  password: z.string().max(256),
  username: z.string().max(255),
  active: z.boolean().optional(),
  bio: text.optional(),
  nickname: text.optional(),
  statusText: text.optional(),
  roles: z.array(z.string().max(64)).max(64).optional(),
  joinDefaultChannels: z.boolean().optional(),
  requirePasswordChange: z.boolean().optional(),
  setRandomPassword: z.boolean().optional(),
  sendWelcomeEmail: z.boolean().optional(),
  verified: z.boolean().optional(),
  customFields: z.record(z.string(), z.unknown()).optional(),
};
const createBody = z.object({ ...userFields, fields: fieldsParam }).strict();
const updateBody = z
  .object({
    userId: id,
    data: z.object(Object.fromEntries(Object.entries(userFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof userFields]: z.ZodOptional<(typeof userFields)[K]> }).strict(),
    confirmRelinquish: z.boolean().optional(),
  })
  .strict();
const infoQuery = z.object({ userId: id.optional(), username: id.optional(), importId: id.optional(), fields: fieldsParam }).strict();
const registerBody = z
  .object({ username: z.string().max(255), email: z.string().max(254), pass: z.string().max(256), name: text, secretURL: z.string().max(256).optional(), reason: text.optional(), customFields: z.record(z.string(), z.unknown()).optional() })
  .strict();
const activeBody = z.object({ userId: id, activeStatus: z.boolean(), confirmRelinquish: z.boolean().optional() }).strict();
const deleteBody = z.union([
  z.object({ userId: id, confirmRelinquish: z.boolean().optional() }).strict(),
  z.object({ username: id, confirmRelinquish: z.boolean().optional() }).strict(),
]);

/** The user just written, as the caller may see it. */
async function savedUser(s: Services, caller: User, userId: string, fields?: string): Promise<Record<string, unknown>> {
  const user = await s.store.users.findById(userId);
  if (!user) throw failure('User not found');
  return visibleUser(user, await s.userDirectory.privileged(caller), parseFields(fields, PROJECTABLE));
}

/** users.create / info / list / register / update / setActiveStatus / delete. */
export function usersRoutes(s: Services): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: 'users.create',
      auth: true,
      ddp: 'insertOrUpdateUser',
      summary: 'Create a user (create-user)',
      body: createBody,
      response: z.object({ user: doc }),
      async handle({ user, body }) {
        const { fields, active, customFields: _ignored, sendWelcomeEmail: _noMail, ...data } = body;
        const userId = await s.userAdmin.save(user._id, { ...data, joinDefaultChannels: data.joinDefaultChannels ?? true });
        if (active !== undefined) await s.userAdmin.setActiveStatus(user._id, userId, active);
        return { user: await savedUser(s, user, userId, fields) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: 'users.update',
      auth: true,
      ddp: 'insertOrUpdateUser',
      summary: 'Edit a user (oneself, or others with edit-other-user-info)',
      body: updateBody,
      response: z.object({ user: doc }),
      async handle({ user, body }) {
        const { active, customFields: _ignored, sendWelcomeEmail: _noMail, ...data } = body.data;
        await s.userAdmin.save(user._id, { ...data, _id: body.userId });
        if (active !== undefined) await s.userAdmin.setActiveStatus(user._id, body.userId, active, body.confirmRelinquish === true);
        return { user: await savedUser(s, user, body.userId) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: 'users.info',
      auth: true,
      ddp: 'getFullUserData',
      summary: 'One user by userId or username (private fields for oneself and view-full-other-user-info)',
      query: infoQuery,
      response: z.object({ user: doc }),
      async handle({ user, query }) {
        const key = query.userId ? { userId: query.userId } : query.username ? { username: query.username } : undefined;
        // Orbit has no imported users: an importId finds none.
        if (!key && !query.importId) throw failure('Invalid search query.');
        const fields = parseFields(query.fields, PROJECTABLE);
        const found = key && (await s.userDirectory.info(user, key, { userRooms: fields?.userRooms === 1 }));
        if (!found) throw failure('User not found.');
        return { user: found };
      },
    }),
    defineRoute({
      method: 'GET',
      path: 'users.list',
      auth: true,
      ddp: 'users.list',
      summary: 'Users, paged (view-d-room); query: equality on username, name, status, active, type (roles for the privileged)',
      query: pageQuery,
      response: z.object({ users: z.array(doc), count: z.number(), offset: z.number(), total: z.number() }),
      async handle({ user, query }) {
        const page = pageOf(query, s.settings);
        const privileged = await s.userDirectory.privileged(user);
        const { users, total } = await s.userDirectory.list(user, {
          filter: parseFilter(query.query, LIST_FILTER_FIELDS[privileged ? 'full' : 'limited']),
          sort: parseSort(query.sort, LIST_SORT_FIELDS),
          fields: parseFields(query.fields, PROJECTABLE),
          page: { skip: page.offset, limit: page.count },
        });
        return { users, ...paged(users, page, total) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: 'users.register',
      auth: 'optional',
      ddp: 'registerUser',
      summary: 'Register an account (Accounts_RegistrationForm)',
      body: registerBody,
      response: z.object({ user: doc }),
      rateLimit: { numRequestsAllowed: 1 },
      async handle({ user, body }) {
        if (user) throw failure('Logged in users can not register again.');
        if (await s.store.users.findByUsername(body.username)) throw failure('Username is already in use');
        const userId = await s.users.register({
          email: body.email,
          pass: body.pass,
          name: body.name,
          username: body.username,
          ...(body.secretURL ? { secretURL: body.secretURL } : {}),
        });
        const created = await s.store.users.findById(userId);
        if (!created) throw failure('User not found');
        return { user: visibleUser(created, false) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: 'users.setActiveStatus',
      auth: true,
      ddp: 'setUserActiveStatus',
      summary: 'Activate or deactivate a user (edit-other-user-active-status)',
      body: activeBody,
      response: z.object({ user: z.object({ _id: z.string(), active: z.boolean() }) }),
      async handle({ user, body }) {
        const may = (await s.permissions.hasPermission(user, 'edit-other-user-active-status')) || (await s.permissions.hasPermission(user, 'manage-moderation-actions'));
        if (!may) throw forbidden();
        await s.userAdmin.setActiveStatus(user._id, body.userId, body.activeStatus, body.confirmRelinquish === true);
        const target = await s.store.users.findById(body.userId);
        if (!target) throw failure('User not found');
        return { user: { _id: target._id, active: target.active } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: 'users.delete',
      auth: true,
      ddp: 'deleteUser',
      summary: 'Delete a user (delete-user); confirmRelinquish hands over the rooms it alone owns',
      body: deleteBody,
      permissions: ['delete-user'],
      async handle({ user, body }) {
        const target = 'userId' in body ? await s.store.users.findById(body.userId) : await s.store.users.findByUsername(body.username);
        if (!target) throw meteorFailure('error-invalid-user', 'The required "userId" or "username" param provided does not match any users');
        await s.userAdmin.remove(user._id, target._id, body.confirmRelinquish === true);
        return {};
      },
    }),
  ];
}
