/**
 * The primitives the other core modules build on, all over WebCrypto (no dependencies): SHA-256,
 * SHA-512, HMAC/HKDF-SHA256 (RFC 5869), AES-GCM, X25519 and Ed25519 on raw 32-byte keys, random
 * bytes, and byte helpers. Mirrors the Java crypto module's `Hkdf`, `X25519`, `Ed25519`,
 * `ContentCipher`.
 * @module core/prim
 */

const subtle = globalThis.crypto.subtle;

/** PKCS#8 prefix of a raw 32-byte X25519 private key. */
const X25519_PKCS8 = hex('302e020100300506032b656e04220420');
/** PKCS#8 prefix of a raw 32-byte Ed25519 private key (seed). */
const ED25519_PKCS8 = hex('302e020100300506032b657004220420');
/** The X25519 base point u = 9: X25519(k, basepoint) is k's public key. */
const BASEPOINT = (() => { const b = new Uint8Array(32); b[0] = 9; return b; })();

/** @param {string} text hex digits @returns {Uint8Array} */
export function hex(text) {
  if (text.length % 2 !== 0 || /[^0-9a-fA-F]/.test(text)) {
    throw new Error('not hex');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.substr(i * 2, 2), 16);
  }
  return out;
}

/** @param {Uint8Array} bytes @returns {string} lower-case hex */
export function toHex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

/** @param {...Uint8Array} parts @returns {Uint8Array} the parts one after the other */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Equality of two byte arrays without an early exit on the first difference. */
export function equal(a, b) {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) {
    return false;
  }
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    acc |= a[i] ^ b[i];
  }
  return acc === 0;
}

/** @param {number} n @returns {Uint8Array} n cryptographically random bytes */
export function randomBytes(n) {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** Throws unless `value` is a Uint8Array of `length` bytes; returns it. */
export function requireLength(value, length, what) {
  if (!(value instanceof Uint8Array)) {
    throw new Error(what + ' is missing');
  }
  if (value.length !== length) {
    throw new Error(what + ' must be ' + length + ' bytes, got ' + value.length);
  }
  return value;
}

/** @param {Uint8Array} data @returns {Promise<Uint8Array>} */
export async function sha256(data) {
  return new Uint8Array(await subtle.digest('SHA-256', data));
}

/** @param {Uint8Array} data @returns {Promise<Uint8Array>} */
export async function sha512(data) {
  return new Uint8Array(await subtle.digest('SHA-512', data));
}

/** HMAC-SHA256(key, data). A zero-length key is the same HMAC key as 32 zero bytes. */
export async function hmacSha256(key, data) {
  const k = await subtle.importKey('raw', key.length === 0 ? new Uint8Array(32) : key,
    {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, data));
}

/** HKDF-Extract(salt, ikm) with SHA-256; an empty salt means 32 zero bytes (RFC 5869). */
export async function hkdfExtract(salt, ikm) {
  return hmacSha256(salt && salt.length ? salt : new Uint8Array(32), ikm);
}

/** HKDF-Expand(prk, info, length) with SHA-256. */
export async function hkdfExpand(prk, info, length) {
  if (prk.length < 32) {
    throw new Error('HKDF pseudorandom key must be at least 32 bytes');
  }
  if (length < 0 || length > 255 * 32) {
    throw new Error('HKDF output length out of range: ' + length);
  }
  const out = new Uint8Array(length);
  let previous = new Uint8Array(0);
  for (let i = 1, offset = 0; offset < length; i++) {
    previous = await hmacSha256(prk, concat(previous, info, new Uint8Array([i])));
    out.set(previous.subarray(0, Math.min(32, length - offset)), offset);
    offset += 32;
  }
  return out;
}

/** HKDF(salt, ikm, info, length) = expand(extract(salt, ikm), info, length). */
export async function hkdf(salt, ikm, info, length) {
  return hkdfExpand(await hkdfExtract(salt, ikm), info, length);
}

/** AES-GCM (key of 16 or 32 bytes) encryption: ciphertext || 16-byte tag. */
export async function aesGcmEncrypt(key, nonce, aad, plaintext) {
  const k = await subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  return new Uint8Array(await subtle.encrypt({name: 'AES-GCM', iv: nonce, additionalData: aad || new Uint8Array(0),
    tagLength: 128}, k, plaintext));
}

/** AES-GCM decryption of ciphertext || tag; throws when anything was altered. */
export async function aesGcmDecrypt(key, nonce, aad, ciphertext) {
  const k = await subtle.importKey('raw', key, 'AES-GCM', false, ['decrypt']);
  try {
    return new Uint8Array(await subtle.decrypt({name: 'AES-GCM', iv: nonce, additionalData: aad || new Uint8Array(0),
      tagLength: 128}, k, ciphertext));
  } catch (e) {
    throw new Error('AES-GCM decryption failed: wrong key or aad, or the content was altered');
  }
}

/**
 * A fresh X25519 key pair: the private key non-extractable unless asked, the public key raw.
 * @returns {Promise<{privateKey: CryptoKey, publicKey: Uint8Array}>}
 */
export async function x25519Generate(extractable = false) {
  const pair = await subtle.generateKey({name: 'X25519'}, extractable, ['deriveBits']);
  return {privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey))};
}

/** Imports a raw 32-byte X25519 private key (clamped or not) as a CryptoKey. */
export async function x25519ImportPrivate(raw, extractable = false) {
  requireLength(raw, 32, 'X25519 private key');
  return subtle.importKey('pkcs8', concat(X25519_PKCS8, raw), {name: 'X25519'}, extractable, ['deriveBits']);
}

/**
 * X25519(privateKey, peerPublic): the 32-byte shared secret. An all-zero result (a peer key of
 * small order) is refused, as RFC 7748 section 6.1 and the Java `X25519.agree` do.
 * @param {CryptoKey|Uint8Array} privateKey
 * @param {Uint8Array} peerPublic raw 32 bytes
 */
export async function x25519(privateKey, peerPublic) {
  requireLength(peerPublic, 32, 'X25519 peer public key');
  const key = privateKey instanceof Uint8Array ? await x25519ImportPrivate(privateKey) : privateKey;
  const peer = await subtle.importKey('raw', peerPublic, {name: 'X25519'}, true, []);
  let shared;
  try {
    shared = new Uint8Array(await subtle.deriveBits({name: 'X25519', public: peer}, key, 256));
  } catch (e) {
    throw new Error('X25519 agreement failed (peer key of small order?)');
  }
  if (shared.every(b => b === 0)) {
    throw new Error('X25519 agreement produced the all-zero value (peer key of small order)');
  }
  return shared;
}

/** The raw public key of an X25519 private key (raw bytes or a CryptoKey, extractable or not). */
export async function x25519PublicOf(privateKey) {
  return x25519(privateKey, BASEPOINT);
}

/**
 * A fresh Ed25519 key pair: the private key non-extractable unless asked, the public key raw.
 * @returns {Promise<{privateKey: CryptoKey, publicKey: Uint8Array}>}
 */
export async function ed25519Generate(extractable = false) {
  const pair = await subtle.generateKey({name: 'Ed25519'}, extractable, ['sign', 'verify']);
  return {privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey))};
}

/** Imports a raw 32-byte Ed25519 private key (the seed) as a CryptoKey. */
export async function ed25519ImportPrivate(raw, extractable = false) {
  requireLength(raw, 32, 'Ed25519 private key');
  return subtle.importKey('pkcs8', concat(ED25519_PKCS8, raw), {name: 'Ed25519'}, extractable, ['sign']);
}

/** The 64-byte Ed25519 signature (pure Ed25519, RFC 8032) of `message`. */
export async function ed25519Sign(privateKey, message) {
  return new Uint8Array(await subtle.sign({name: 'Ed25519'}, privateKey, message));
}

/**
 * Whether `signature` is a valid Ed25519 signature of `message` by the raw `publicKey`. A bad
 * signature, one of the wrong length and a public key that is not a point all answer false.
 */
export async function ed25519Verify(publicKey, message, signature) {
  requireLength(publicKey, 32, 'Ed25519 public key');
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    return false;
  }
  try {
    const key = await subtle.importKey('raw', publicKey, {name: 'Ed25519'}, false, ['verify']);
    return await subtle.verify({name: 'Ed25519'}, key, signature, message);
  } catch (e) {
    return false;
  }
}
