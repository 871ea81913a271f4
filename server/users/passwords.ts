import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project-root.ts';

const KEY_LENGTH = 64;
// OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB a hash; N=2^15 keeps a login
// near 50 ms on a small machine while staying far above a plain hash.
const DEFAULTS = { N: 2 ** 15, r: 8, p: 1 };

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { ...options, maxmem: 256 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULTS);
  return [
    'scrypt',
    DEFAULTS.N,
    DEFAULTS.r,
    DEFAULTS.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Spent on unknown accounts so their response time matches a wrong password's. */
export const DUMMY_HASH = await hashPassword(randomBytes(12).toString('hex'));

// Runs of keys or characters that make a long password that is no harder to guess than a
// short one ("1234567890ab", "qwertyuiopas"); a password inside one, either way, is refused.
const WALKS = [
  '01234567890123456789',
  'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  '1q2w3e4r5t6y7u8i9o0p',
  'qazwsxedcrfvtgbyhnujmikolp',
  'azertyuiopqsdfghjklmwxcvbn',
  'qwertzuiopasdfghjklyxcvbnm',
];
const WALK_TEXT = WALKS.flatMap((walk) => [walk, [...walk].reverse().join('')]).join('\n');

/**
 * SecLists' 10,000 most common passwords (server/users/common-passwords.txt), lower-cased.
 * Read from the project's files so the sources and the compiled `dist/` share one copy.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  readFileSync(join(PROJECT_ROOT, 'server', 'users', 'common-passwords.txt'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.toLowerCase()),
);

/** The shortest unit the text repeats ("abcabcabc" → "abc"), or the text itself. */
function repeatedUnit(text: string): string {
  for (let size = 1; size <= text.length / 2; size++) {
    if (text.length % size === 0 && text.slice(size) === text.slice(0, -size))
      return text.slice(0, size);
  }
  return text;
}

/**
 * Whether a password is one an attacker tries first: on the list, a listed one with digits
 * or punctuation around it ("password2024!"), one repeated ("monkeymonkey", "abcabcabcabc")
 * or a run of keys ("1234567890ab"). Most listed passwords are shorter than the 12 characters
 * required, so the variants are what catch the long forms people choose to meet the rule.
 */
export function isCommonPassword(password: string): boolean {
  const text = password.normalize('NFKC').toLowerCase();
  const core = text.replace(/^[\d\p{P}\p{S}\s]+|[\d\p{P}\p{S}\s]+$/gu, '');
  const unit = repeatedUnit(text);
  return (
    COMMON_PASSWORDS.has(text) ||
    (core.length >= 4 && COMMON_PASSWORDS.has(core)) ||
    (unit !== text && (unit.length <= 4 || COMMON_PASSWORDS.has(unit))) ||
    WALK_TEXT.includes(text)
  );
}
