/**
 * Base64url without padding (RFC 4648 section 5), the API's encoding of keys, signatures and
 * opaque blobs. {@link decode} accepts only the canonical encoding: no padding, no whitespace, no
 * characters outside the alphabet, no length of 1 mod 4 and no non-zero trailing bits, so every
 * byte string has exactly one accepted text.
 * @module core/b64
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  LOOKUP[ALPHABET.charCodeAt(i)] = i;
}

/**
 * Encodes bytes as base64url without padding.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function encode(bytes) {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError('b64.encode needs a Uint8Array');
  }
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63] + ALPHABET[(n >>> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >>> 18] + ALPHABET[(n >>> 12) & 63] + ALPHABET[(n >>> 6) & 63];
  }
  return out;
}

/**
 * Decodes canonical base64url without padding.
 * @param {string} text
 * @returns {Uint8Array}
 * @throws {Error} when `text` is not the canonical encoding of some bytes
 */
export function decode(text) {
  if (typeof text !== 'string') {
    throw new TypeError('b64.decode needs a string');
  }
  if (text.length % 4 === 1) {
    throw new Error('not base64url: impossible length ' + text.length);
  }
  const values = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) {
      throw new Error('not base64url: unexpected character at ' + i);
    }
    values[i] = v;
  }
  const out = new Uint8Array(Math.floor(text.length * 3 / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < text.length; i += 4) {
    const n = (values[i] << 18) | (values[i + 1] << 12) | (values[i + 2] << 6) | values[i + 3];
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = text.length - i;
  if (rest === 2) {
    if (values[i + 1] & 15) {
      throw new Error('not canonical base64url: non-zero trailing bits');
    }
    out[o++] = (values[i] << 2) | (values[i + 1] >>> 4);
  } else if (rest === 3) {
    if (values[i + 2] & 3) {
      throw new Error('not canonical base64url: non-zero trailing bits');
    }
    const n = (values[i] << 18) | (values[i + 1] << 12) | (values[i + 2] << 6);
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
  }
  return out;
}
