/**
 * Single-shot HPKE (RFC 9180) with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-128-GCM, in
 * base mode (a message's content key wrapped to a device's encryption key) and PSK mode (the QR
 * link's provisioning message, psk = the linking secret), interoperating with the Java `Hpke`.
 * Each seal is a fresh context at sequence number 0. A seal returns `{enc, ciphertext}`: the
 * 32-byte encapsulated ephemeral key and the AEAD output (ciphertext || 16-byte tag).
 *
 * Recipient private keys may be CryptoKeys (X25519, non-extractable is fine: the public key is
 * recomputed as X25519(sk, 9)) or raw 32-byte arrays. PSK mode requires a psk of at least 32
 * bytes and a non-empty psk_id (RFC 9180 section 9.5).
 * @module core/hpke
 */

import {ascii} from './wire.js';
import {concat, hkdfExtract, hkdfExpand, aesGcmEncrypt, aesGcmDecrypt, x25519, x25519Generate,
  x25519ImportPrivate, x25519PublicOf, requireLength} from './prim.js';

const MODE_BASE = 0x00;
const MODE_PSK = 0x01;
const KEM_ID = 0x0020;
const KDF_ID = 0x0001;
const AEAD_ID = 0x0001;
const N_SECRET = 32;
const N_KEY = 16;
const N_NONCE = 12;
/** The minimum PSK length accepted, in bytes. */
export const MIN_PSK_LENGTH = 32;

const VERSION_LABEL = ascii('HPKE-v1');
const EMPTY = new Uint8Array(0);

function u16(n) {
  return new Uint8Array([(n >>> 8) & 255, n & 255]);
}

const KEM_SUITE_ID = concat(ascii('KEM'), u16(KEM_ID));
const SUITE_ID = concat(ascii('HPKE'), u16(KEM_ID), u16(KDF_ID), u16(AEAD_ID));

function labeledExtract(suiteId, salt, label, ikm) {
  return hkdfExtract(salt, concat(VERSION_LABEL, suiteId, ascii(label), ikm));
}

function labeledExpand(suiteId, prk, label, info, length) {
  return hkdfExpand(prk, concat(u16(length), VERSION_LABEL, suiteId, ascii(label), info), length);
}

async function extractAndExpand(dh, kemContext) {
  const eaePrk = await labeledExtract(KEM_SUITE_ID, EMPTY, 'eae_prk', dh);
  return labeledExpand(KEM_SUITE_ID, eaePrk, 'shared_secret', kemContext, N_SECRET);
}

async function keySchedule(mode, sharedSecret, info, psk, pskId) {
  const pskIdHash = await labeledExtract(SUITE_ID, EMPTY, 'psk_id_hash', pskId);
  const infoHash = await labeledExtract(SUITE_ID, EMPTY, 'info_hash', info);
  const context = concat(new Uint8Array([mode]), pskIdHash, infoHash);
  const secret = await labeledExtract(SUITE_ID, sharedSecret, 'secret', psk);
  return {
    key: await labeledExpand(SUITE_ID, secret, 'key', context, N_KEY),
    nonce: await labeledExpand(SUITE_ID, secret, 'base_nonce', context, N_NONCE),
  };
}

function checkPsk(psk, pskId) {
  if (!(psk instanceof Uint8Array) || !(pskId instanceof Uint8Array)) {
    throw new Error('HPKE psk and psk_id are required in PSK mode');
  }
  if (psk.length < MIN_PSK_LENGTH) {
    throw new Error('HPKE psk must be at least ' + MIN_PSK_LENGTH + ' bytes, got ' + psk.length);
  }
  if (pskId.length === 0) {
    throw new Error('HPKE psk_id must not be empty in PSK mode');
  }
}

async function sealWith(mode, ephemeralPrivate, pkR, info, aad, plaintext, psk, pskId) {
  requireLength(pkR, 32, 'HPKE recipient public key');
  if (!(plaintext instanceof Uint8Array)) {
    throw new Error('HPKE plaintext is missing');
  }
  const enc = await x25519PublicOf(ephemeralPrivate);
  const dh = await x25519(ephemeralPrivate, pkR);
  const sharedSecret = await extractAndExpand(dh, concat(enc, pkR));
  const {key, nonce} = await keySchedule(mode, sharedSecret, info || EMPTY, psk, pskId);
  return {enc, ciphertext: await aesGcmEncrypt(key, nonce, aad || EMPTY, plaintext)};
}

async function openWith(mode, skR, enc, info, aad, ciphertext, psk, pskId) {
  requireLength(enc, 32, 'HPKE enc');
  if (!(ciphertext instanceof Uint8Array)) {
    throw new Error('HPKE ciphertext is missing');
  }
  const key = skR instanceof Uint8Array ? await x25519ImportPrivate(skR) : skR;
  try {
    const pkR = await x25519PublicOf(key);
    const dh = await x25519(key, enc);
    const sharedSecret = await extractAndExpand(dh, concat(enc, pkR));
    const schedule = await keySchedule(mode, sharedSecret, info || EMPTY, psk, pskId);
    return await aesGcmDecrypt(schedule.key, schedule.nonce, aad || EMPTY, ciphertext);
  } catch (e) {
    throw new Error(mode === MODE_PSK
      ? 'HPKE open failed (PSK mode): wrong key, psk, info, aad or a tampered ciphertext'
      : 'HPKE open failed (base mode): wrong key, info, aad or a tampered ciphertext');
  }
}

/**
 * Base mode: seals `plaintext` to the raw X25519 public key `pkR` with a fresh ephemeral key.
 * @param {Uint8Array} pkR
 * @param {Uint8Array} info
 * @param {Uint8Array} aad
 * @param {Uint8Array} plaintext
 * @returns {Promise<{enc: Uint8Array, ciphertext: Uint8Array}>}
 */
export async function seal(pkR, info, aad, plaintext) {
  return sealWith(MODE_BASE, (await x25519Generate()).privateKey, pkR, info, aad, plaintext, EMPTY, EMPTY);
}

/**
 * Base mode: opens what {@link seal} (or the Java `Hpke.seal`) produced; throws otherwise.
 * @param {CryptoKey|Uint8Array} skR the recipient's X25519 private key
 * @returns {Promise<Uint8Array>}
 */
export async function open(skR, enc, info, aad, ciphertext) {
  return openWith(MODE_BASE, skR, enc, info, aad, ciphertext, EMPTY, EMPTY);
}

/**
 * PSK mode: as {@link seal}, bound to the pre-shared key `psk` named `pskId`.
 * @returns {Promise<{enc: Uint8Array, ciphertext: Uint8Array}>}
 */
export async function sealPsk(pkR, info, aad, plaintext, psk, pskId) {
  checkPsk(psk, pskId);
  return sealWith(MODE_PSK, (await x25519Generate()).privateKey, pkR, info, aad, plaintext, psk, pskId);
}

/**
 * PSK mode: opens what {@link sealPsk} (or the Java `Hpke.sealPsk`) produced; throws otherwise.
 * @param {CryptoKey|Uint8Array} skR
 * @returns {Promise<Uint8Array>}
 */
export async function openPsk(skR, enc, info, aad, ciphertext, psk, pskId) {
  checkPsk(psk, pskId);
  return openWith(MODE_PSK, skR, enc, info, aad, ciphertext, psk, pskId);
}

/**
 * Deterministic base mode with the given raw ephemeral private key `skE`: for the RFC 9180 test
 * vectors only (reusing an ephemeral breaks confidentiality).
 */
export async function sealWithEphemeral(skE, pkR, info, aad, plaintext) {
  return sealWith(MODE_BASE, await x25519ImportPrivate(skE), pkR, info, aad, plaintext, EMPTY, EMPTY);
}

/** Deterministic PSK mode with the given raw ephemeral private key `skE`: for test vectors only. */
export async function sealPskWithEphemeral(skE, pkR, info, aad, plaintext, psk, pskId) {
  checkPsk(psk, pskId);
  return sealWith(MODE_PSK, await x25519ImportPrivate(skE), pkR, info, aad, plaintext, psk, pskId);
}
