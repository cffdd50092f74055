/**
 * AES-256-GCM content encryption as the Java `ContentCipher` (`nonce(12) || ciphertext || tag(16)`),
 * and attachments as the Java `AttachmentCipher`: a fresh 32-byte key, associated data
 * `"sb.att.v1"`, and the SHA-256 of the ciphertext so a receiver refuses a swapped download before
 * decrypting it.
 * @module core/attachments
 */

import {ascii} from './wire.js';
import {aesGcmEncrypt, aesGcmDecrypt, randomBytes, sha256, equal, concat, requireLength} from './prim.js';

export const AAD = 'sb.att.v1';
export const KEY_LENGTH = 32;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
const AAD_BYTES = ascii(AAD);

/**
 * `nonce || AES-256-GCM(key, nonce, aad, plaintext) || tag` with a fresh random nonce.
 * @param {Uint8Array} key 32 bytes
 * @param {Uint8Array} plaintext
 * @param {Uint8Array} [aad]
 * @returns {Promise<Uint8Array>}
 */
export async function contentEncrypt(key, plaintext, aad) {
  requireLength(key, KEY_LENGTH, 'content key');
  const nonce = randomBytes(NONCE_LENGTH);
  return concat(nonce, await aesGcmEncrypt(key, nonce, aad || new Uint8Array(0), plaintext));
}

/**
 * The plaintext of what {@link contentEncrypt} produced; throws if anything was altered.
 * @returns {Promise<Uint8Array>}
 */
export async function contentDecrypt(key, sealed, aad) {
  requireLength(key, KEY_LENGTH, 'content key');
  if (!(sealed instanceof Uint8Array) || sealed.length < NONCE_LENGTH + TAG_LENGTH) {
    throw new Error('sealed content too short');
  }
  return aesGcmDecrypt(key, sealed.subarray(0, NONCE_LENGTH), aad || new Uint8Array(0), sealed.subarray(NONCE_LENGTH));
}

/**
 * Encrypts an attachment under a fresh key.
 * @param {Uint8Array} plaintext
 * @returns {Promise<{key: Uint8Array, digest: Uint8Array, ciphertext: Uint8Array}>}
 */
export async function encrypt(plaintext) {
  if (!(plaintext instanceof Uint8Array)) {
    throw new Error('attachment plaintext is missing');
  }
  const key = randomBytes(KEY_LENGTH);
  const ciphertext = await contentEncrypt(key, plaintext, AAD_BYTES);
  return {key, digest: await sha256(ciphertext), ciphertext};
}

/**
 * The plaintext, after checking that `ciphertext` has the SHA-256 `digest`.
 * @param {Uint8Array} key
 * @param {Uint8Array} digest
 * @param {Uint8Array} ciphertext
 * @returns {Promise<Uint8Array>}
 * @throws {Error} on a digest mismatch or a failed decryption
 */
export async function decrypt(key, digest, ciphertext) {
  requireLength(key, KEY_LENGTH, 'attachment key');
  requireLength(digest, 32, 'attachment digest');
  if (!equal(await sha256(ciphertext), digest)) {
    throw new Error('attachment digest does not match its ciphertext');
  }
  try {
    return await contentDecrypt(key, ciphertext, AAD_BYTES);
  } catch (e) {
    throw new Error('attachment does not decrypt: wrong key or altered content');
  }
}
