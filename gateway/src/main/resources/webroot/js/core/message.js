/**
 * Sealing and opening one end-to-end encrypted message, as the Java `MessageSealer` and
 * `MessageOpener`: one random 32-byte content key; the payload encrypted once with AES-256-GCM
 * (header bytes as aad); the key wrapped to every target with HPKE base mode (info
 * `messageInfo(fromDeviceId, targetDeviceId)`, aad = header bytes) as `enc || ct` (80 bytes); a
 * commitment to the key; and the sender's Ed25519 signature over `messageStatement`.
 * @module core/message
 */

import * as canonical from './canonical.js';
import * as header from './header.js';
import * as hpke from './hpke.js';
import {contentEncrypt, contentDecrypt} from './attachments.js';
import {concat, equal, randomBytes, sha256, ed25519Verify, requireLength} from './prim.js';

/** Bytes of a wrapped key: HPKE enc (32) || sealed content key (32) || tag (16). */
export const WRAPPED_KEY_LENGTH = 80;

/**
 * @typedef {Object} Recipient
 * @property {string} number
 * @property {string} deviceId
 * @property {string} encryptionKeyId
 * @property {Uint8Array} encryptionKey raw X25519 public key
 */

/**
 * @typedef {Object} SealedMessage
 * @property {Uint8Array} header encoded header
 * @property {Uint8Array} ciphertext
 * @property {Uint8Array} keyCommitment
 * @property {Uint8Array} signature
 * @property {Array<{number: string, deviceId: string, encryptionKeyId: string, wrapped: Uint8Array}>} keys
 */

/**
 * Seals `plaintext` to `targets`.
 * @param {import('./header.js').MessageHeader} messageHeader
 * @param {(statement: Uint8Array) => Promise<Uint8Array>} sign the sender device's Ed25519 signer
 * @param {Recipient[]} targets at least one, no device twice
 * @param {Uint8Array} plaintext
 * @returns {Promise<SealedMessage>}
 */
export async function sealMessage(messageHeader, sign, targets, plaintext) {
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new Error('a message needs at least one target device');
  }
  const seen = new Set();
  for (const target of targets) {
    if (seen.has(target.deviceId)) {
      throw new Error('target device ' + target.deviceId + ' is listed twice');
    }
    seen.add(target.deviceId);
  }
  const headerBytes = header.encode(messageHeader);
  const contentKey = randomBytes(32);
  try {
    const ciphertext = await contentEncrypt(contentKey, plaintext, headerBytes);
    const keys = [];
    for (const target of targets) {
      const info = canonical.messageInfo(messageHeader.fromDeviceId, target.deviceId);
      const sealed = await hpke.seal(requireLength(target.encryptionKey, 32, 'encryption key of ' + target.deviceId),
        info, headerBytes, contentKey);
      keys.push({number: target.number, deviceId: target.deviceId, encryptionKeyId: target.encryptionKeyId,
        wrapped: concat(sealed.enc, sealed.ciphertext)});
    }
    const keyCommitment = await canonical.keyCommitment(contentKey);
    const statement = canonical.messageStatement(headerBytes, await sha256(ciphertext), keyCommitment,
      targets.map(t => t.deviceId));
    return {header: headerBytes, ciphertext, keyCommitment, signature: await sign(statement), keys};
  } finally {
    contentKey.fill(0);
  }
}

/**
 * @typedef {Object} ReceivedMessage one device's view of a message
 * @property {Uint8Array} header
 * @property {Uint8Array} ciphertext
 * @property {Uint8Array} keyCommitment
 * @property {Uint8Array} signature
 * @property {Uint8Array} wrappedKey this device's own
 * @property {string[]} targetDeviceIds
 */

/**
 * Opens a message on one target device, checking in the Java `MessageOpener`'s order: the
 * signature (with `senderIdentityPublic`, which the caller took from the sender number's verified
 * list), the header, that this device is a target, its wrapped key, the key commitment, the payload.
 * @param {ReceivedMessage} received
 * @param {string} myDeviceId
 * @param {CryptoKey|Uint8Array} myEncryptionPrivate
 * @param {Uint8Array} senderIdentityPublic
 * @returns {Promise<{header: import('./header.js').MessageHeader, plaintext: Uint8Array}>}
 */
export async function openMessage(received, myDeviceId, myEncryptionPrivate, senderIdentityPublic) {
  if (!myDeviceId) {
    throw new Error("this device's id is missing");
  }
  requireLength(senderIdentityPublic, 32, 'sender identity public key');
  requireLength(received.keyCommitment, 32, 'content key commitment');
  const statement = canonical.messageStatement(received.header, await sha256(received.ciphertext),
    received.keyCommitment, received.targetDeviceIds);
  if (!await ed25519Verify(senderIdentityPublic, statement, received.signature)) {
    throw new Error('sender signature does not verify');
  }
  const decoded = header.decode(received.header);
  if (!received.targetDeviceIds.includes(myDeviceId)) {
    throw new Error('device ' + myDeviceId + " is not among the message's target devices");
  }
  const wrapped = received.wrappedKey;
  if (!(wrapped instanceof Uint8Array) || wrapped.length !== WRAPPED_KEY_LENGTH) {
    throw new Error("this device's wrapped key does not open: it is not " + WRAPPED_KEY_LENGTH + ' bytes');
  }
  let contentKey;
  try {
    contentKey = await hpke.open(myEncryptionPrivate, wrapped.subarray(0, 32),
      canonical.messageInfo(decoded.fromDeviceId, myDeviceId), received.header, wrapped.subarray(32));
  } catch (e) {
    throw new Error("this device's wrapped key does not open");
  }
  try {
    if (!equal(await canonical.keyCommitment(contentKey), received.keyCommitment)) {
      throw new Error('the content key does not match the signed commitment');
    }
    let plaintext;
    try {
      plaintext = await contentDecrypt(contentKey, received.ciphertext, received.header);
    } catch (e) {
      throw new Error('message payload does not decrypt under the unwrapped content key');
    }
    return {header: decoded, plaintext};
  } finally {
    contentKey.fill(0);
  }
}
