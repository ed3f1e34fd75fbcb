import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';

/** Meteor's password scheme: bcrypt over the lowercase hex SHA-256 of the password. */
export const sha256Hex = (plain: string): string => createHash('sha256').update(plain, 'utf8').digest('hex');

export async function hashPassword(plain: string, cost: number): Promise<string> {
  return bcrypt.hash(sha256Hex(plain), cost);
}

/** `digest` is the lowercase hex SHA-256 the client computed (or we computed from a plain password). */
export async function verifyDigest(digest: string, bcryptHash: string): Promise<boolean> {
  return bcrypt.compare(digest, bcryptHash);
}

/** Resume tokens are stored only as base64(SHA-256(token)). */
export const hashLoginToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64');

/** Rocket.Chat's password policy (the `Accounts_Password_Policy_*` settings). */
export interface PasswordPolicy {
  enabled: boolean;
  minLength: number;
  maxLength: number;
  forbidRepeatingCharacters: boolean;
  forbidRepeatingCharactersCount: number;
  atLeastOneLowercase: boolean;
  atLeastOneUppercase: boolean;
  atLeastOneNumber: boolean;
  atLeastOneSpecialCharacter: boolean;
}

export interface PolicyViolation {
  code: string;
  reason: string;
}

/**
 * The first rule the password breaks, with Rocket.Chat's error code and text, or undefined.
 * A blank password is refused even with the policy off (as Rocket.Chat does).
 */
export function passwordPolicyViolation(password: string, p: PasswordPolicy): PolicyViolation | undefined {
  if (password.trim().length === 0) {
    return { code: 'error-password-policy-not-met', reason: "The password provided does not meet the server's password policy." };
  }
  if (!p.enabled) return undefined;
  if (p.minLength >= 1 && password.length < p.minLength) {
    return { code: 'error-password-policy-not-met-minLength', reason: 'The password does not meet the minimum length password policy.' };
  }
  if (p.maxLength >= 1 && password.length > p.maxLength) {
    return { code: 'error-password-policy-not-met-maxLength', reason: 'The password does not meet the maximum length password policy.' };
  }
  if (p.forbidRepeatingCharacters && repeats(password, Math.max(1, p.forbidRepeatingCharactersCount))) {
    return {
      code: 'error-password-policy-not-met-repeatingCharacters',
      reason: 'The password contains repeating characters which is against the password policy.',
    };
  }
  if (p.atLeastOneLowercase && !/[a-z]/.test(password)) {
    return { code: 'error-password-policy-not-met-oneLowercase', reason: 'The password does not contain at least one lowercase character which is against the password policy.' };
  }
  if (p.atLeastOneUppercase && !/[A-Z]/.test(password)) {
    return { code: 'error-password-policy-not-met-oneUppercase', reason: 'The password does not contain at least one uppercase character which is against the password policy.' };
  }
  if (p.atLeastOneNumber && !/[0-9]/.test(password)) {
    return { code: 'error-password-policy-not-met-oneNumber', reason: 'The password does not contain at least one numerical character which is against the password policy.' };
  }
  if (p.atLeastOneSpecialCharacter && !/[^A-Za-z0-9 ]/.test(password)) {
    return { code: 'error-password-policy-not-met-oneSpecial', reason: 'The password does not contain at least one special character which is against the password policy.' };
  }
  return undefined;
}

/** True if some character occurs more than `max` times in a row. */
function repeats(s: string, max: number): boolean {
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    run = s[i] === s[i - 1] ? run + 1 : 1;
    if (run > max) return true;
  }
  return false;
}
