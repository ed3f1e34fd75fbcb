import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import { describe, expect, it } from 'vitest';
import { hashLoginToken, hashPassword, passwordPolicyViolation, sha256Hex, verifyDigest, type PasswordPolicy } from './passwords.js';

const OFF: PasswordPolicy = {
  enabled: false,
  minLength: 7,
  maxLength: -1,
  forbidRepeatingCharacters: true,
  forbidRepeatingCharactersCount: 3,
  atLeastOneLowercase: true,
  atLeastOneUppercase: true,
  atLeastOneNumber: true,
  atLeastOneSpecialCharacter: true,
};

describe("Meteor's password scheme", () => {
  it('stores bcrypt over the lowercase hex SHA-256 digest, never over the raw password', async () => {
    const hash = await hashPassword('s3cret', 4);
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(await bcrypt.compare(createHash('sha256').update('s3cret').digest('hex'), hash)).toBe(true);
    expect(await bcrypt.compare('s3cret', hash)).toBe(false);
  });

  it('verifies a hash made the Meteor way', async () => {
    const meteorHash = await bcrypt.hash(createHash('sha256').update('p@ss').digest('hex'), 10);
    expect(await verifyDigest(sha256Hex('p@ss'), meteorHash)).toBe(true);
    expect(await verifyDigest(sha256Hex('other'), meteorHash)).toBe(false);
  });

  it('hashes resume tokens as base64 SHA-256', () => {
    expect(hashLoginToken('abc')).toBe(createHash('sha256').update('abc').digest('base64'));
  });
});

describe('password policy (Accounts_Password_Policy_*)', () => {
  it('off: only a blank password is refused', () => {
    expect(passwordPolicyViolation('a', OFF)).toBeUndefined();
    expect(passwordPolicyViolation('   ', OFF)?.code).toBe('error-password-policy-not-met');
  });

  it.each([
    ['Ab1!', 'error-password-policy-not-met-minLength'],
    ['Abbbb1!xyz', 'error-password-policy-not-met-repeatingCharacters'],
    ['ABCDEF1!', 'error-password-policy-not-met-oneLowercase'],
    ['abcdef1!', 'error-password-policy-not-met-oneUppercase'],
    ['Abcdefg!', 'error-password-policy-not-met-oneNumber'],
    ['Abcdefg1', 'error-password-policy-not-met-oneSpecial'],
  ])('on: %s → %s', (password, code) => {
    expect(passwordPolicyViolation(password, { ...OFF, enabled: true })?.code).toBe(code);
  });

  it('on: a password meeting every rule passes; maxLength applies when ≥ 1', () => {
    expect(passwordPolicyViolation('Abbb1!xyz', { ...OFF, enabled: true })).toBeUndefined();
    expect(passwordPolicyViolation('Abcd1!xyz', { ...OFF, enabled: true, maxLength: 8 })?.code).toBe('error-password-policy-not-met-maxLength');
  });
});
