/**
 * The fixed binary encodings of everything Switchboard signs or binds into HPKE, byte for byte as
 * the Java `dev.switchboard.crypto.Canonical` (whose comment is the specification):
 * `TAG || fields`, `bytes(x) = u32(len) || x`, `str(s) = bytes(UTF-8 of s)`, big-endian `u32`/`u64`,
 * lists last and sorted by device id in unsigned UTF-8 byte order, duplicates refused, keys 32 bytes.
 * @module core/canonical
 */

import {Writer, utf8, compareUnsigned, ascii} from './wire.js';
import {hkdf, requireLength} from './prim.js';

export const ENCRYPTION_KEY_TAG = 'sb.enc.v1';
export const DEVICE_SIGNATURE_TAG = 'sb.devsig.v1';
export const DEVICE_LIST_TAG = 'sb.devlist.v1';
export const MESSAGE_SIGNATURE_TAG = 'sb.msgsig.v2';
export const MESSAGE_INFO_TAG = 'sb.msg.v1';
export const ACCOUNT_SIGNATURE_TAG = 'sb.acctsig.v1';
export const PROVISIONING_INFO_TAG = 'sb.prov.v1';
/** The HPKE psk_id of the provisioning message; the psk is the QR code's linking secret. */
export const LINK_PSK_ID = 'sb.link.v1';
/** The HKDF info of {@link keyCommitment}. */
export const KEY_COMMITMENT_INFO = 'sb.ck.commit.v1';
export const KEY_COMMITMENT_LENGTH = 32;

function requireText(value, what) {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(what + ' is missing');
  }
}

function sortUnique(entries, what) {
  entries.sort((a, b) => compareUnsigned(a.key, b.key));
  for (let i = 1; i < entries.length; i++) {
    if (compareUnsigned(entries[i - 1].key, entries[i].key) === 0) {
      throw new Error(what + ' lists device ' + new TextDecoder().decode(entries[i].key) + ' twice');
    }
  }
  return entries;
}

/**
 * `"sb.enc.v1" || bytes(IKenc_pub)`: what a device's identity key signs over its encryption key.
 * @param {Uint8Array} ikEncPub 32 bytes
 * @returns {Uint8Array}
 */
export function encryptionKeyStatement(ikEncPub) {
  return new Writer(ENCRYPTION_KEY_TAG).bytes(requireLength(ikEncPub, 32, 'encryption public key')).toBytes();
}

/**
 * `"sb.devlist.v1" || str(number) || u64(version) || u64(issuedAt) || for each device sorted by id:
 * str(deviceId) || bytes(IKsig) || bytes(IKenc) || str(kind)`: signed by the account key.
 * @param {string} number
 * @param {number|bigint} version
 * @param {number|bigint} issuedAt epoch milliseconds
 * @param {Array<{deviceId: string, identityKey: Uint8Array, encryptionKey: Uint8Array, kind: string}>} devices
 * @returns {Uint8Array}
 */
export function deviceList(number, version, issuedAt, devices) {
  requireText(number, 'device list number');
  if (!Array.isArray(devices) || devices.length === 0) {
    throw new Error('device list of ' + number + ' has no devices');
  }
  const sorted = sortUnique(devices.map(device => {
    if (!device) {
      throw new Error('device list of ' + number + ' contains a null device');
    }
    requireText(device.deviceId, 'listed device id');
    requireText(device.kind, 'listed device ' + device.deviceId + ' kind');
    return {key: utf8(device.deviceId, 'device id'), device};
  }), 'device list of ' + number);
  const out = new Writer(DEVICE_LIST_TAG).str(number, 'number').u64(version, 'device list version')
    .u64(issuedAt, 'device list issuedAt');
  for (const {key, device} of sorted) {
    out.bytes(key)
      .bytes(requireLength(device.identityKey, 32, 'identity key of listed device ' + device.deviceId))
      .bytes(requireLength(device.encryptionKey, 32, 'encryption key of listed device ' + device.deviceId))
      .str(device.kind, 'device kind');
  }
  return out.toBytes();
}

/**
 * `"sb.devsig.v1" || bytes(account_pub) || bytes(IKsig_c) || bytes(IKenc_c)`: what a companion's
 * identity key signs to accept the account it is linked to.
 */
export function deviceSignatureStatement(accountPub, ikSigCompanion, ikEncCompanion) {
  return new Writer(DEVICE_SIGNATURE_TAG)
    .bytes(requireLength(accountPub, 32, 'account public key'))
    .bytes(requireLength(ikSigCompanion, 32, 'companion identity public key'))
    .bytes(requireLength(ikEncCompanion, 32, 'companion encryption public key'))
    .toBytes();
}

/**
 * `"sb.acctsig.v1" || str(number) || str(deviceId) || bytes(IKsig_c) || bytes(IKenc_c)`: what the
 * account key signs to vouch for a companion's keys.
 */
export function accountSignatureStatement(number, deviceId, ikSigCompanion, ikEncCompanion) {
  requireText(number, 'account signature number');
  requireText(deviceId, 'account signature device id');
  return new Writer(ACCOUNT_SIGNATURE_TAG)
    .str(number, 'number')
    .str(deviceId, 'device id')
    .bytes(requireLength(ikSigCompanion, 32, 'companion identity public key'))
    .bytes(requireLength(ikEncCompanion, 32, 'companion encryption public key'))
    .toBytes();
}

/**
 * `"sb.msgsig.v2" || bytes(header) || bytes(SHA-256(ciphertext)) || bytes(keyCommitment) || sorted
 * target ids as str`: what the sending device signs.
 * @param {Uint8Array} header encoded message header
 * @param {Uint8Array} ciphertextSha256 32 bytes
 * @param {Uint8Array} keyCommitment 32 bytes
 * @param {string[]} targetDeviceIds any order
 */
export function messageStatement(header, ciphertextSha256, keyCommitment, targetDeviceIds) {
  if (!(header instanceof Uint8Array)) {
    throw new Error('message header is missing');
  }
  requireLength(ciphertextSha256, 32, 'ciphertext SHA-256');
  requireLength(keyCommitment, KEY_COMMITMENT_LENGTH, 'content key commitment');
  if (!Array.isArray(targetDeviceIds) || targetDeviceIds.length === 0) {
    throw new Error('message statement has no target devices');
  }
  const sorted = sortUnique(targetDeviceIds.map(id => {
    requireText(id, 'target device id');
    return {key: utf8(id, 'target device id')};
  }), 'message target devices');
  const out = new Writer(MESSAGE_SIGNATURE_TAG).bytes(header).bytes(ciphertextSha256).bytes(keyCommitment);
  for (const {key} of sorted) {
    out.bytes(key);
  }
  return out.toBytes();
}

/** `"sb.msg.v1" || str(senderDeviceId) || str(targetDeviceId)`: HPKE info for one wrapped key. */
export function messageInfo(senderDeviceId, targetDeviceId) {
  requireText(senderDeviceId, 'sender device id');
  requireText(targetDeviceId, 'target device id');
  return new Writer(MESSAGE_INFO_TAG).str(senderDeviceId, 'sender device id')
    .str(targetDeviceId, 'target device id').toBytes();
}

/** `"sb.prov.v1" || str(linkId)`: the HPKE info binding a provisioning message to its link request. */
export function provisioningInfo(linkId) {
  requireText(linkId, 'link id');
  return new Writer(PROVISIONING_INFO_TAG).str(linkId, 'link id').toBytes();
}

/**
 * `HKDF-SHA256(salt = empty, IKM = contentKey, info = "sb.ck.commit.v1", L = 32)`: the commitment
 * to a message's content key that goes into {@link messageStatement}.
 * @param {Uint8Array} contentKey 32 bytes
 * @returns {Promise<Uint8Array>}
 */
export async function keyCommitment(contentKey) {
  requireLength(contentKey, 32, 'content key');
  return hkdf(new Uint8Array(0), contentKey, ascii(KEY_COMMITMENT_INFO), KEY_COMMITMENT_LENGTH);
}
