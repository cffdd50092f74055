/**
 * The security code of a conversation, as the Java `SecurityCode`: for each side
 * `h = u16(0) || accountKey || UTF-8(number)`, 5200 times `h = SHA-512(h || accountKey)`, the first
 * 30 bytes as six 40-bit big-endian integers mod 100000 (5 digits each); the two halves sorted and
 * joined, shown as 12 groups of 5 digits.
 * @module core/securitycode
 */

import {utf8} from './wire.js';
import {concat, sha512, requireLength} from './prim.js';

export const ITERATIONS = 5200;

async function half(number, accountKey) {
  if (typeof number !== 'string' || number.length === 0) {
    throw new Error('security code needs both numbers');
  }
  requireLength(accountKey, 32, 'account key of ' + number);
  let hash = concat(new Uint8Array([0, 0]), accountKey, utf8(number, 'number ' + number));
  for (let i = 0; i < ITERATIONS; i++) {
    hash = await sha512(concat(hash, accountKey));
  }
  let digits = '';
  for (let group = 0; group < 6; group++) {
    let chunk = 0n;
    for (let i = 0; i < 5; i++) {
      chunk = (chunk << 8n) | BigInt(hash[group * 5 + i]);
    }
    digits += (chunk % 100000n).toString().padStart(5, '0');
  }
  return digits;
}

/**
 * The 60-digit code, e.g. "12345 67890 ... 24680".
 * @param {string} numberA
 * @param {Uint8Array} accountKeyA
 * @param {string} numberB
 * @param {Uint8Array} accountKeyB
 * @returns {Promise<string>}
 */
export async function securityCode(numberA, accountKeyA, numberB, accountKeyB) {
  const a = await half(numberA, accountKeyA);
  const b = await half(numberB, accountKeyB);
  const digits = a <= b ? a + b : b + a;
  return digits.match(/.{5}/g).join(' ');
}
