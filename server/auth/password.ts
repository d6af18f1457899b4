// Password hashing with argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane), in PHC format.
// Hashes from before argon2id (scrypt$N$r$p$salt$hash) are still verified; a successful sign-in
// with one re-hashes it (needsRehash).
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hash, parseOptions, verify } from '@node-rs/argon2';

// The package's default algorithm is argon2id; its `Algorithm` is an ambient const enum, which
// isolated modules cannot use, so the PHC prefix is checked instead (see needsRehash).
const argon2Options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
const argon2idPrefix = '$argon2id$';

export async function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

// Compared against when there is no usable hash (unknown user, token-only account), so that
// answering takes as long as for a real user and says nothing about which usernames exist.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPassword(randomBytes(16).toString('hex')));

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  if (stored?.startsWith('scrypt$')) return verifyScrypt(password, stored);
  if (stored?.startsWith('$argon2')) {
    try {
      return await verify(stored, password);
    } catch {
      return false; // a malformed hash is no match
    }
  }
  await verify(await decoy(), password);
  return false;
}

/** True when a stored hash is not argon2id with the current parameters (re-hash it on a successful sign-in). */
export function needsRehash(stored: string): boolean {
  if (!stored.startsWith(argon2idPrefix)) return true;
  try {
    const options = parseOptions(stored);
    return options.memoryCost !== argon2Options.memoryCost || options.timeCost !== argon2Options.timeCost || options.parallelism !== argon2Options.parallelism;
  } catch {
    return true;
  }
}

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, hashed] = stored.split('$');
  if (!n || !r || !p || !salt || !hashed) return false;
  const expected = Buffer.from(hashed, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
