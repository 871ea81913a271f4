// npm run user:create -- --email officer@example.com --role officer [--name "..."] [--locale en]
// The password comes from --password, else REDRESS_USER_PASSWORD, else one is generated and
// printed once. Uses the same database as the server (MONGODB_URI or the embedded FerretDB).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/connect.ts';
import { AppError } from '../server/errors.ts';
import { systemClock } from '../server/clock.ts';
import { createUserModel } from '../server/users/model.ts';
import { CreateUserRequest } from '../server/users/schemas.ts';
import { createUserService } from '../server/users/service.ts';

const USAGE =
  'usage: npm run user:create -- --email EMAIL --role officer|compliance|admin|complainant [--name NAME] [--locale en|zh-CN]';

function options() {
  return parseArgs({
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      locale: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  }).values;
}

async function main(): Promise<number> {
  let values: ReturnType<typeof options>;
  try {
    values = options();
  } catch (error) {
    // An unknown or valueless option is a usage mistake, not a crash: say what is accepted.
    console.error(`user:create: ${error instanceof Error ? error.message : String(error)}`);
    console.error(USAGE);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const generated = !values.password && !process.env.REDRESS_USER_PASSWORD;
  const input = CreateUserRequest.safeParse({
    email: values.email,
    role: values.role,
    name: values.name ?? values.email?.split('@')[0],
    locale: values.locale ?? 'en',
    password:
      values.password ?? process.env.REDRESS_USER_PASSWORD ?? randomBytes(12).toString('base64url'),
  });
  if (!input.success) {
    console.error(`user:create: ${z.prettifyError(input.error)}`);
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase(config, (m) => console.error(m));
  try {
    const users = createUserModel(database.connection);
    await users.init();
    const service = createUserService({ users, clock: systemClock });
    const user = await service.createUser(input.data);
    console.log(`created ${user.role} ${user.email} (id ${user.id})`);
    if (generated) console.log(`password: ${input.data.password}  (shown once; store it now)`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof AppError) {
      console.error(`user:create: ${error instanceof AppError ? error.detail : error.message}`);
    } else {
      console.error('user:create failed:', error);
    }
    process.exit(1);
  },
);
