/**
 * Linking this browser as a companion device by QR code (the new device's half of the Java
 * `LinkProtocol` and `SwitchboardClient.createLinkRequest`/`awaitLink`): the page creates an
 * ephemeral X25519 key and a 32-byte linking secret, registers the request, shows
 * `sblink:2:<linkId>:<ephemeralKey>:<identityKey>:<linkingSecret>` as a QR code (the secret never
 * goes to the server), waits for the primary's approval, opens the provisioning message (HPKE PSK
 * mode, psk = the linking secret, psk_id "sb.link.v1", info `provisioningInfo(linkId)`), checks it
 * exactly as the Java client does, signs the account key back and completes the link.
 * @module core/linking
 */

import * as b64 from './b64.js';
import * as hpke from './hpke.js';
import {ascii} from './wire.js';
import {accountSignatureStatement, deviceSignatureStatement, provisioningInfo, LINK_PSK_ID} from './canonical.js';
import {ed25519Verify, equal, randomBytes, x25519Generate} from './prim.js';
import {signedList} from './verify.js';
import {defaultTrustStore} from './trust.js';
import {ApiError} from './api.js';

/** The QR text's prefix and version. */
export const QR_PREFIX = 'sblink:2:';
/** Bytes of the linking secret. */
export const LINKING_SECRET_BYTES = 32;
const POLL_MS = 2000;

function refused(message) {
  const error = new Error(message + '; link refused');
  error.code = 'link_refused';
  return error;
}

function expired(message) {
  const error = new Error(message);
  error.code = 'link_expired';
  return error;
}

function field(node, name) {
  const value = node?.[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw refused('link data without ' + name);
  }
  return value;
}

function decoded(node, name) {
  try {
    return b64.decode(field(node, name));
  } catch (e) {
    if (e.code === 'link_refused') {
      throw e;
    }
    throw refused('link data with a ' + name + ' that is not base64url');
  }
}

function key(node, name) {
  const raw = decoded(node, name);
  if (raw.length !== 32) {
    throw refused('link data with a ' + name + ' that is not 32 bytes');
  }
  return raw;
}

/**
 * @typedef {Object} Linked
 * @property {string} number
 * @property {string} deviceId
 * @property {string} token this device's bearer token (handed out once: keep it)
 * @property {string} accountKey the number's account key, base64url
 * @property {number} listVersion the version of the device list the primary signed
 * @property {Object} deviceList that signed list as it came (`{version, issuedAt, devices, signature}`)
 * @property {{mediaId: string, key: string}|null} history the history bundle pointer, if the primary sent one
 */

/**
 * Opens and checks the provisioning message of an approved request, as the Java `LinkProtocol.open`.
 * @private exported for the interop tests
 * @param {{linkId: string, deviceId: string, ephemeralPrivate: CryptoKey, linkingSecret: Uint8Array,
 *   keys: import('./keys.js').DeviceKeys}} request
 * @param {string} number the number the server says
 * @param {string} provisioning base64url(enc || ciphertext)
 * @returns {Promise<{number: string, accountKey: Uint8Array, listVersion: number, deviceList: Object,
 *   listed: Object[], history: Object|null}>}
 * @throws {Error} code "link_refused"
 */
export async function openProvisioning(request, number, provisioning) {
  if (typeof provisioning !== 'string') {
    throw refused('the approval of link request ' + request.linkId + ' carries no provisioning message');
  }
  let wire;
  try {
    wire = b64.decode(provisioning);
  } catch (e) {
    throw refused('the provisioning message is not base64url');
  }
  if (wire.length <= 32) {
    throw refused('the provisioning message is too short');
  }
  let plaintext;
  try {
    plaintext = await hpke.openPsk(request.ephemeralPrivate, wire.subarray(0, 32), provisioningInfo(request.linkId),
      new Uint8Array(0), wire.subarray(32), request.linkingSecret, ascii(LINK_PSK_ID));
  } catch (e) {
    throw refused('the provisioning message does not open with this device\'s linking secret: it was not sealed'
      + ' by whoever scanned this QR code');
  }
  let payload;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', {fatal: true}).decode(plaintext));
  } catch (e) {
    throw refused('the provisioning message is not JSON');
  } finally {
    plaintext.fill(0);
  }
  if (!payload || typeof payload !== 'object') {
    throw refused('the provisioning message is not a JSON object');
  }
  const sealedNumber = field(payload, 'number');
  if (sealedNumber !== number) {
    throw refused('the provisioning message is for ' + sealedNumber + ', the server says ' + number);
  }
  if (field(payload, 'deviceId') !== request.deviceId) {
    throw refused('the provisioning message is for another device than ' + request.deviceId);
  }
  const accountKey = key(payload, 'accountKey');
  const own = request.keys;
  const statement = accountSignatureStatement(number, request.deviceId, own.rawIdentityKey, own.rawEncryptionKey);
  if (!await ed25519Verify(accountKey, statement, decoded(payload, 'accountSignature'))) {
    throw refused('the account signature in the provisioning message does not cover this device\'s keys');
  }
  const list = payload.deviceList;
  if (!list || typeof list !== 'object' || Array.isArray(list)) {
    throw refused('the provisioning message carries no device list');
  }
  let signed;
  try {
    signed = signedList(number, list);
  } catch (e) {
    throw refused('the device list in the provisioning message is malformed: ' + e.message);
  }
  if (!await signed.signedBy(accountKey)) {
    throw refused('the device list in the provisioning message is not signed by the account key');
  }
  const self = signed.devices.get(request.deviceId);
  if (!self || self.kind !== 'companion' || !equal(self.identityKey, own.rawIdentityKey)
      || !equal(self.encryptionKey, own.rawEncryptionKey)) {
    throw refused('the device list in the provisioning message does not list this device with its keys');
  }
  const primaries = [...signed.devices.values()].filter(d => d.kind === 'primary');
  if (primaries.length !== 1 || !equal(primaries[0].identityKey, accountKey)) {
    throw refused('the device list in the provisioning message does not have the account key as its one primary');
  }
  let history = null;
  if (payload.history !== undefined && payload.history !== null) {
    history = {mediaId: field(payload.history, 'mediaId'), key: field(payload.history, 'key')};
    decoded(payload.history, 'key');
  }
  return {number, accountKey, listVersion: signed.version, deviceList: list, listed: [...signed.devices.values()],
    history};
}

/**
 * Starts linking this browser: registers a link request and returns the QR text to show.
 * @param {import('./api.js').Api} api an unauthenticated client of the gateway
 * @param {import('./keys.js').DeviceKeys} keys this browser's keys
 * @param {string} name the device's name, shown on the primary
 * @param {{trust?: import('./trust.js').TrustStore}} [options] where to remember the number's keys
 *   (the page's IndexedDB trust store by default)
 * @returns {Promise<{linkId: string, deviceId: string, qrText: string, expiresAt: string,
 *   wait: () => Promise<Linked>, cancel: () => void}>}
 *   `wait()` resolves once the link is complete; it rejects with an Error whose `code` is
 *   `"link_refused"` when the approval does not check out (nothing is completed then) or
 *   `"link_expired"` when the request expired first (show a new QR code).
 */
export async function startLink(api, keys, name, options = {}) {
  const trust = options.trust || defaultTrustStore();
  const ephemeral = await x25519Generate(false);
  const linkingSecret = randomBytes(LINKING_SECRET_BYTES);
  const created = await api.post('/v1/link-requests', {
    name,
    identityKey: keys.identityKey,
    encryptionKey: keys.encryptionKey,
    encryptionKeyId: keys.encryptionKeyId,
    encryptionKeySignature: keys.encryptionKeySignature,
    ephemeralKey: b64.encode(ephemeral.publicKey),
  });
  const request = {linkId: created.linkId, deviceId: created.deviceId, ephemeralPrivate: ephemeral.privateKey,
    linkingSecret, keys};
  const qrText = QR_PREFIX + created.linkId + ':' + b64.encode(ephemeral.publicKey) + ':' + keys.identityKey + ':'
    + b64.encode(linkingSecret);
  const statusPath = '/v1/link-requests/' + encodeURIComponent(created.linkId);
  const secretQuery = '?secret=' + encodeURIComponent(created.secret);
  let cancelled = false;
  let socket = null;
  let waiting = null;

  async function complete(state) {
    if (state.deviceId !== request.deviceId) {
      throw refused('the server approved link request ' + request.linkId + ' for device ' + state.deviceId
        + ', not the reserved ' + request.deviceId);
    }
    const number = field(state, 'number');
    const provisioning = await openProvisioning(request, number, state.provisioning);
    const deviceSignature = await keys.sign(deviceSignatureStatement(provisioning.accountKey, keys.rawIdentityKey,
      keys.rawEncryptionKey));
    let answer;
    try {
      answer = await api.post(statusPath + '/complete', {secret: created.secret, deviceSignature: b64.encode(deviceSignature)});
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'link_expired' || e.code === 'link_outdated')) {
        const error = expired('the link request expired before it was completed (' + e.code + '): show a new QR code');
        error.cause = e;
        throw error;
      }
      throw e;
    }
    linkingSecret.fill(0);
    await trust.accept(number, provisioning.accountKey, provisioning.listVersion, provisioning.listed);
    return {number: answer.number, deviceId: answer.deviceId, token: answer.token,
      accountKey: b64.encode(provisioning.accountKey), listVersion: provisioning.listVersion,
      deviceList: provisioning.deviceList, history: provisioning.history};
  }

  function outcome() {
    return new Promise((resolve, reject) => {
      let settled = false;
      let timer = null;
      const settle = state => {
        if (settled || !state || state.status === 'pending') {
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (socket) {
          socket.onclose = null;
          socket.close();
        }
        if (state.status === 'approved') {
          complete(state).then(resolve, reject);
        } else if (state.status === 'expired') {
          reject(expired('the link request expired: show a new QR code'));
        } else {
          reject(refused('unexpected link request status ' + state.status));
        }
      };
      const poll = async () => {
        if (settled) {
          return;
        }
        if (cancelled) {
          settled = true;
          reject(expired('linking was cancelled'));
          return;
        }
        try {
          settle(await api.get(statusPath + secretQuery));
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) {
            settled = true;
            reject(expired('the link request is gone: show a new QR code'));
            return;
          }
        }
        if (!settled) {
          timer = setTimeout(poll, POLL_MS);
        }
      };
      try {
        socket = new WebSocket(api.wsUrl(statusPath + '/stream' + secretQuery));
        socket.onmessage = event => {
          try {
            settle(JSON.parse(event.data));
          } catch (e) {
            // polling still runs
          }
        };
      } catch (e) {
        socket = null;
      }
      timer = setTimeout(poll, POLL_MS);
    });
  }

  return {
    linkId: created.linkId,
    deviceId: created.deviceId,
    qrText,
    expiresAt: created.expiresAt,
    wait() {
      if (!waiting) {
        waiting = outcome();
      }
      return waiting;
    },
    cancel() {
      cancelled = true;
      if (socket) {
        socket.close();
      }
    },
  };
}
