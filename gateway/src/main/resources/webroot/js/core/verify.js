/**
 * Checks an answer of `GET /v1/keys/{number}` on its own, as the Java `KeyVerifier`: each device's
 * encryption key signature (by its identity key), that the account key is the one primary's
 * identity key, the device list signature (by the account key) and, when the list is not stale,
 * that it lists exactly the devices shown. Every failure is an Error with `code`
 * `"key_verification"`.
 * @module core/verify
 */

import * as b64 from './b64.js';
import {deviceList, encryptionKeyStatement} from './canonical.js';
import {ed25519Verify, equal} from './prim.js';
import {FIRST_ENCRYPTION_KEY_ID} from './keys.js';

function fail(number, message) {
  const error = new Error(message);
  error.code = 'key_verification';
  error.number = number;
  return error;
}

function text(number, node, field, what) {
  const value = node?.[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw fail(number, what + ' has no ' + field);
  }
  return value;
}

function bytes(number, value, what) {
  try {
    return b64.decode(value);
  } catch (e) {
    throw fail(number, what + ' is not base64url');
  }
}

function key(number, node, field, what, optional = false) {
  const value = node?.[field];
  if (value === undefined || value === null) {
    if (optional) {
      return null;
    }
    throw fail(number, what + ' is missing');
  }
  if (typeof value !== 'string') {
    throw fail(number, what + ' is not a string');
  }
  const raw = bytes(number, value, what);
  if (raw.length !== 32) {
    throw fail(number, what + ' is ' + raw.length + ' bytes, not 32');
  }
  return raw;
}

function sameDevice(a, b) {
  return !!a && !!b && a.deviceId === b.deviceId && a.kind === b.kind && equal(a.identityKey, b.identityKey)
    && equal(a.encryptionKey, b.encryptionKey);
}

/**
 * A device list as shown, decoded; its signature not yet checked.
 * @param {string} number
 * @param {Object} list `{version, issuedAt, devices: [...], signature}`
 * @returns {{version: number, issuedAt: number, devices: Map<string, Object>, statement: Uint8Array,
 *   signature: Uint8Array, signedBy: (accountKey: Uint8Array) => Promise<boolean>}}
 */
export function signedList(number, list) {
  if (!list || typeof list !== 'object') {
    throw fail(number, 'the device list is not an object');
  }
  if (!Number.isSafeInteger(list.version) || list.version < 1) {
    throw fail(number, 'the device list has no valid version');
  }
  if (!Number.isSafeInteger(list.issuedAt) || list.issuedAt < 0) {
    throw fail(number, 'the device list has no valid issuedAt');
  }
  if (!Array.isArray(list.devices)) {
    throw fail(number, 'the device list has no devices array');
  }
  const devices = new Map();
  for (const node of list.devices) {
    const deviceId = text(number, node, 'deviceId', 'a listed device');
    const what = 'listed device ' + deviceId + ' of ' + number;
    const device = {deviceId, identityKey: key(number, node, 'identityKey', 'identity key of ' + what),
      encryptionKey: key(number, node, 'encryptionKey', 'encryption key of ' + what), kind: text(number, node, 'kind', what)};
    if (devices.has(deviceId)) {
      throw fail(number, 'the device list lists ' + deviceId + ' twice');
    }
    devices.set(deviceId, device);
  }
  let statement;
  try {
    statement = deviceList(number, list.version, list.issuedAt, [...devices.values()]);
  } catch (e) {
    throw fail(number, 'the device list cannot be encoded: ' + e.message);
  }
  const signature = bytes(number, text(number, list, 'signature', 'the device list'), 'device list signature of ' + number);
  return {version: list.version, issuedAt: list.issuedAt, devices, statement, signature,
    signedBy: accountKey => accountKey ? ed25519Verify(accountKey, statement, signature) : Promise.resolve(false)};
}

/**
 * @typedef {Object} VerifiedDevice
 * @property {string} deviceId
 * @property {string} kind "primary" or "companion"
 * @property {Uint8Array} identityKey
 * @property {Uint8Array} encryptionKey
 * @property {string} encryptionKeyId
 * @property {boolean} encryptionKeySigned
 * @property {boolean} listed whether the verified signed list lists it with exactly these keys
 */

/**
 * @typedef {Object} VerifiedKeys
 * @property {string} number
 * @property {Uint8Array|null} accountKey
 * @property {number} listVersion the version of the list that verified, 0 if none
 * @property {boolean} stale whether the gateway marks the list stale
 * @property {VerifiedDevice[]} devices sorted by id
 * @property {Array<{deviceId: string, identityKey: Uint8Array, encryptionKey: Uint8Array, kind: string}>} listed
 *   the devices of the verified list
 */

/**
 * Verifies an answer of `GET /v1/keys/{number}`.
 * @param {string} number
 * @param {Object} answer
 * @returns {Promise<VerifiedKeys>}
 */
export async function verifyKeys(number, answer) {
  if (answer?.number !== number) {
    throw fail(number, 'the gateway answered with the keys of ' + answer?.number + ' when asked for ' + number);
  }
  const accountKey = key(number, answer, 'accountKey', 'account key of ' + number, true);
  if (!Array.isArray(answer.devices)) {
    throw fail(number, 'the answer has no devices array');
  }
  const shown = new Map();
  for (const node of answer.devices) {
    const deviceId = text(number, node, 'deviceId', 'a device');
    const what = 'device ' + deviceId + ' of ' + number;
    const kind = text(number, node, 'kind', what);
    const identityKey = key(number, node, 'identityKey', 'identity key of ' + what);
    const encryptionKey = key(number, node, 'encryptionKey', 'encryption key of ' + what);
    let signed = false;
    if (typeof node.encryptionKeySignature === 'string') {
      const signature = bytes(number, node.encryptionKeySignature, 'encryption key signature of ' + what);
      if (!await ed25519Verify(identityKey, encryptionKeyStatement(encryptionKey), signature)) {
        throw fail(number, 'the encryption key of ' + what + ' is not signed by its identity key');
      }
      signed = true;
    }
    if (shown.has(deviceId)) {
      throw fail(number, 'device ' + deviceId + ' is shown twice');
    }
    shown.set(deviceId, {deviceId, kind, identityKey, encryptionKey,
      encryptionKeyId: typeof node.encryptionKeyId === 'string' ? node.encryptionKeyId : FIRST_ENCRYPTION_KEY_ID,
      encryptionKeySigned: signed});
  }
  const primaries = [...shown.values()].filter(d => d.kind === 'primary');
  if (primaries.length > 1) {
    throw fail(number, number + ' shows ' + primaries.length + ' primary devices');
  }
  const primaryKey = primaries.length ? primaries[0].identityKey : null;
  if (!(primaryKey === null && accountKey === null) && !(primaryKey && accountKey && equal(primaryKey, accountKey))) {
    throw fail(number, accountKey === null ? number + ' has a primary device but no account key'
      : 'the account key of ' + number + ' is not the identity key of its primary device');
  }

  let listVersion = 0;
  let stale = false;
  let listed = new Map();
  const list = answer.deviceList;
  if (list !== undefined && list !== null) {
    stale = list.stale === true;
    const signed = signedList(number, list);
    const verifies = await signed.signedBy(accountKey);
    if (verifies) {
      listVersion = signed.version;
      listed = signed.devices;
    } else if (!stale) {
      throw fail(number, accountKey === null
        ? 'the device list of ' + number + ' cannot be checked: the number has no account key'
        : 'the device list of ' + number + ' (version ' + signed.version + ') is not signed by the number\'s account key');
    }
    if (verifies && !stale) {
      const mismatched = [...shown.values()].filter(d => !sameDevice(d, listed.get(d.deviceId))).map(d => d.deviceId);
      const extra = [...listed.values()].filter(d => !sameDevice(d, shown.get(d.deviceId))).map(d => d.deviceId);
      if (mismatched.length || extra.length) {
        throw fail(number, 'the signed device list of ' + number + ' (version ' + signed.version
          + ', not stale) does not match its devices: ' + [...new Set([...mismatched, ...extra])].sort().join(', '));
      }
    }
  }
  const devices = [...shown.values()].map(d => ({...d, listed: sameDevice(d, listed.get(d.deviceId))}))
    .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  return {number, accountKey, listVersion, stale, devices, listed: [...listed.values()]};
}
