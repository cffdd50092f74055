/**
 * End-to-end encrypted messages in the page, interoperating with the Java client (`E2eeSender`,
 * `MessageDecryptor`, `E2eeContent`, `KeyDirectory`/`KeyVerifier`/`TrustStore`).
 *
 * Payload (`E2eeContent`, UTF-8 JSON version 1):
 * `{"v": 1, "text": "..." | null, "parts": [{"type": "media", "mediaId", "contentType", "fileName"?,
 * "size", "key", "digest"}, ...any other part]}`; attachments are encrypted with
 * {@link module:core/attachments} and uploaded as opaque `application/octet-stream` media first.
 *
 * Trust, kept simple: a number's keys are verified ({@link module:core/verify}) and checked against
 * the {@link module:core/trust TrustStore} (rollbacks refused, account key changes reported until
 * acknowledged). A message is sealed only to devices the number's latest verified signed list lists
 * with exactly their keys: a shown device outside it stops the send (`code` `"untrusted_device"`).
 * @module core/e2ee
 */

import * as b64 from './b64.js';
import * as attachments from './attachments.js';
import * as headerCodec from './header.js';
import {sealMessage, openMessage} from './message.js';
import {verifyKeys} from './verify.js';
import {securityCode} from './securitycode.js';
import {defaultTrustStore} from './trust.js';
import {ApiError} from './api.js';

/** Attempts at one end-to-end message, the first included. */
export const MAX_ATTEMPTS = 3;
/** The payload version. */
export const CONTENT_VERSION = 1;

function coded(code, message) {
  const error = new Error(message);
  error.code = code;
  return error;
}

/** Whether `part` is an encrypted attachment part (a media part with a key and a digest). */
export function isAttachment(part) {
  return !!part && part.type === 'media' && part.key != null && part.digest != null;
}

/**
 * The payload bytes of `text` and `parts`, as `E2eeContent.encode`.
 * @param {string|null} text
 * @param {Object[]} parts
 * @returns {Uint8Array}
 */
export function encodeContent(text, parts) {
  return new TextEncoder().encode(JSON.stringify({v: CONTENT_VERSION, text: text ?? null, parts: parts || []}));
}

/**
 * The payload `bytes` decoded, as `E2eeContent.decode`.
 * @param {Uint8Array} bytes
 * @returns {{text: string|null, parts: Object[]}}
 */
export function decodeContent(bytes) {
  let root;
  try {
    root = JSON.parse(new TextDecoder('utf-8', {fatal: true}).decode(bytes));
  } catch (e) {
    throw new Error('the decrypted payload is not JSON');
  }
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    throw new Error('the decrypted payload is not a JSON object');
  }
  if (root.v !== CONTENT_VERSION) {
    throw new Error('the decrypted payload has version ' + root.v + '; this page reads version ' + CONTENT_VERSION);
  }
  if (!(root.text === null || root.text === undefined || typeof root.text === 'string')) {
    throw new Error("the decrypted payload's text is not a string");
  }
  if (!(root.parts === undefined || Array.isArray(root.parts))) {
    throw new Error("the decrypted payload's parts are not an array");
  }
  const parts = root.parts || [];
  for (const part of parts) {
    if (!part || typeof part !== 'object' || typeof part.type !== 'string') {
      throw new Error('a part of the decrypted payload has no type');
    }
  }
  return {text: typeof root.text === 'string' ? root.text : null, parts};
}

function capable(keys) {
  return keys.listVersion > 0 && keys.devices.length > 0 && keys.devices.every(d => d.encryptionKeySigned);
}

function field(node, name) {
  const value = node?.[name];
  if (typeof value !== 'string') {
    throw new Error('the encrypted message has no ' + name);
  }
  try {
    return b64.decode(value);
  } catch (e) {
    throw new Error("the encrypted message's " + name + ' is not base64url');
  }
}

export class E2ee {
  /**
   * @param {import('./api.js').Api} api an authenticated client of this device
   * @param {import('./keys.js').DeviceKeys} keys this device's keys
   * @param {{number: string, deviceId: string}} me this device
   * @param {import('./trust.js').TrustStore} [trust] the page's IndexedDB trust store by default
   */
  constructor(api, keys, me, trust) {
    this.api = api;
    this.keys = keys;
    this.me = me;
    this.trust = trust || defaultTrustStore();
    /** @private number -> Promise<VerifiedKeys|null> */
    this.cache = new Map();
    /** @private idempotency key -> the body sent under it, to resend it identically */
    this.sentBodies = new Map();
  }

  /**
   * The verified keys of `number` (kept from the last fetch unless `refresh`), checked against the
   * trust store; null when this gateway does not serve the number (a carrier peer, off-net).
   * @param {string} number
   * @param {{refresh?: boolean}} [options]
   * @returns {Promise<import('./verify.js').VerifiedKeys & {accountKeyChanged: boolean}|null>}
   * @throws {Error} `code` "key_verification" or "rollback" when the answer does not hold
   */
  keysFor(number, options = {}) {
    if (options.refresh || !this.cache.has(number)) {
      const fetching = this.fetchKeys(number);
      this.cache.set(number, fetching);
      fetching.catch(() => this.cache.delete(number));
    }
    return this.cache.get(number);
  }

  /** @private */
  async fetchKeys(number) {
    let answer;
    try {
      answer = await this.api.get('/v1/keys/' + encodeURIComponent(number));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        return null;
      }
      throw e;
    }
    const keys = await verifyKeys(number, answer);
    const changed = await this.trust.accept(number, keys.accountKey, keys.listVersion, keys.listed);
    return {...keys, accountKeyChanged: changed};
  }

  /**
   * Whether `number`'s account key changed since it was first seen and the user has not
   * acknowledged it (show the warning, and the new security code, before sending).
   * @returns {Promise<boolean>}
   */
  async accountKeyChanged(number) {
    const peer = await this.trust.peer(number);
    return !!peer && peer.changeUnacknowledged;
  }

  /**
   * Acknowledges a change of `number`'s account key: sending to it works again.
   * @returns {Promise<boolean>} whether there was a change to acknowledge
   */
  acknowledge(number) {
    return this.trust.acknowledge(number);
  }

  /**
   * The security code of the conversation with `peerNumber` (60 digits in groups of 5), from the
   * account keys as verified; null when either number has no account key (off-net peer).
   * @returns {Promise<string|null>}
   */
  async securityCode(peerNumber) {
    const own = await this.keysFor(this.me.number);
    const peer = await this.keysFor(peerNumber);
    if (!own?.accountKey || !peer?.accountKey) {
      return null;
    }
    return securityCode(this.me.number, own.accountKey, peerNumber, peer.accountKey);
  }

  /**
   * Whether a message to `to` would go end-to-end encrypted (both numbers served, with signed lists
   * and signed keys on every device).
   * @returns {Promise<boolean>}
   */
  async endToEnd(to) {
    const peer = await this.keysFor(to);
    return !!peer && capable(peer) && capable(await this.keysFor(this.me.number));
  }

  /**
   * Sends a message the way the conversation allows, as the Java `E2eeSender`: end-to-end
   * encrypted when both numbers can do it (sealed to every device of both numbers, this one
   * included; 409 `device_mismatch` / 410 `stale_devices` refetch both numbers' keys and reseal, at
   * most {@link MAX_ATTEMPTS} attempts; a plaintext attempt refused with 409 `e2ee_required` is
   * encrypted), in the clear to a carrier peer. Calling it again with the same `idempotencyKey`
   * (after a network failure) resends the identical body, so the gateway keeps one message.
   * @param {string} to
   * @param {{text?: string|null, attachments?: Array<{bytes: Uint8Array, contentType: string, fileName?: string}>,
   *   parts?: Object[]}} content
   * @param {string} idempotencyKey
   * @param {{onProgress?: (loaded: number, total: number) => void}} [options] upload progress of attachments
   * @returns {Promise<{message: Object, encrypted: boolean, refusals: string[]}>} the gateway's answer
   *   (`{id, conversationId, status, channel, seq}`)
   * @throws {Error} `code` "account_key_changed" (acknowledge first), "untrusted_device",
   *   "key_verification", "rollback"; or an {@link ApiError}
   */
  async send(to, content, idempotencyKey, options = {}) {
    const text = content?.text ?? null;
    const parts = content?.parts || [];
    const files = content?.attachments || [];
    if ((text === null || text === '') && parts.length === 0 && files.length === 0) {
      throw new Error('a message needs text, parts or attachments');
    }
    if (!idempotencyKey) {
      throw new Error('an idempotency key is required');
    }
    const kept = this.sentBodies.get(idempotencyKey);
    if (kept) {
      return {message: await this.api.post('/v1/messages', kept.body, {idempotencyKey: kept.key}),
        encrypted: kept.encrypted, refusals: []};
    }
    let peer = await this.keysFor(to);
    if (!peer) {
      return this.sendPlain(to, text, parts, files, idempotencyKey, options);
    }
    await this.refuseUnacknowledgedChange(to);
    await this.refuseUnacknowledgedChange(this.me.number);
    let own = await this.keysFor(this.me.number);
    if (!capable(peer) || !capable(own)) {
      peer = await this.keysFor(to, {refresh: true});
      own = await this.keysFor(this.me.number, {refresh: true});
    }
    if (peer && capable(peer) && capable(own)) {
      return this.sendEncrypted(to, text, parts, files, idempotencyKey, [], options);
    }
    try {
      return await this.sendPlain(to, text, parts, files, idempotencyKey, options);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409 || e.code !== 'e2ee_required') {
        throw e;
      }
      this.sentBodies.delete(idempotencyKey);
      await this.keysFor(to, {refresh: true});
      await this.keysFor(this.me.number, {refresh: true});
      return this.sendEncrypted(to, text, parts, files, idempotencyKey + '.e2e', ['e2ee_required'], options);
    }
  }

  /** @private */
  async refuseUnacknowledgedChange(number) {
    if (await this.accountKeyChanged(number)) {
      throw coded('account_key_changed', 'the account key of ' + number + ' changed: compare the security code and'
        + ' acknowledge the change before sending');
    }
  }

  /** @private */
  async post(body, idempotencyKey, encrypted) {
    this.sentBodies.set(idempotencyKey, {body, key: idempotencyKey, encrypted});
    try {
      return await this.api.post('/v1/messages', body, {idempotencyKey});
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) {
        return this.api.post('/v1/messages', body, {idempotencyKey});
      }
      throw e;
    }
  }

  /** @private */
  async sendPlain(to, text, parts, files, idempotencyKey, options) {
    const all = [...parts];
    for (const file of files) {
      const uploaded = await this.api.uploadMedia(file.bytes, file.contentType, file.fileName, options.onProgress);
      const part = {type: 'media', mediaId: uploaded.mediaId, contentType: file.contentType, size: file.bytes.length};
      if (file.fileName) {
        part.fileName = file.fileName;
      }
      all.push(part);
    }
    const body = {to};
    if (text !== null) {
      body.text = text;
    }
    if (all.length) {
      body.parts = all;
    }
    return {message: await this.post(body, idempotencyKey, false), encrypted: false, refusals: []};
  }

  /** @private */
  async sendEncrypted(to, text, parts, files, idempotencyKey, refusals, options) {
    const all = [...parts];
    const mediaIds = [];
    for (const file of files) {
      const encrypted = await attachments.encrypt(file.bytes);
      const uploaded = await this.api.uploadMedia(encrypted.ciphertext, 'application/octet-stream', null,
        options.onProgress);
      mediaIds.push(uploaded.mediaId);
      const part = {type: 'media', mediaId: uploaded.mediaId, contentType: file.contentType};
      if (file.fileName) {
        part.fileName = file.fileName;
      }
      part.size = file.bytes.length;
      part.key = b64.encode(encrypted.key);
      part.digest = b64.encode(encrypted.digest);
      all.push(part);
    }
    const plaintext = encodeContent(text, all);
    const messageId = 'e2e_' + globalThis.crypto.randomUUID();
    for (let attempt = 1; ; attempt++) {
      const peer = await this.keysFor(to);
      if (!peer) {
        throw new ApiError(409, 'e2ee_unavailable', to + ' is no longer served by this gateway: not sending in the clear');
      }
      const own = await this.keysFor(this.me.number);
      const body = await this.sealedBody(to, messageId, peer, own, plaintext, mediaIds);
      const key = attempt === 1 ? idempotencyKey : idempotencyKey + '.' + attempt;
      try {
        const message = await this.post(body, key, true);
        this.sentBodies.set(idempotencyKey, {body, key, encrypted: true});
        return {message, encrypted: true, refusals};
      } catch (e) {
        const outdated = e instanceof ApiError && ((e.status === 409 && e.code === 'device_mismatch')
          || (e.status === 410 && e.code === 'stale_devices'));
        if (!outdated || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        refusals.push(e.code);
        await this.keysFor(to, {refresh: true});
        await this.keysFor(this.me.number, {refresh: true});
      }
    }
  }

  /** @private */
  async sealedBody(to, messageId, peer, own, plaintext, mediaIds) {
    const targets = new Map();
    for (const keys of [peer, own]) {
      for (const device of keys.devices) {
        if (!device.listed || !device.encryptionKeySigned) {
          throw coded('untrusted_device', 'device ' + device.deviceId + ' of ' + keys.number + ' is not in the latest'
            + ' device list signed by the number\'s account key (version ' + keys.listVersion + '): refusing to encrypt'
            + ' to it; nothing was sent. The primary of ' + keys.number + ' must sign its device list again');
        }
        const id = keys.number + '\u0000' + device.deviceId;
        if (!targets.has(id)) {
          targets.set(id, {number: keys.number, deviceId: device.deviceId, encryptionKeyId: device.encryptionKeyId,
            encryptionKey: device.encryptionKey});
        }
      }
    }
    const header = {messageId, fromNumber: this.me.number, fromDeviceId: this.me.deviceId, toNumber: to,
      sentAt: Date.now(), fromListVersion: own.listVersion, toListVersion: peer.listVersion};
    const sealed = await sealMessage(header, statement => this.keys.sign(statement), [...targets.values()], plaintext);
    const e2ee = {
      header: b64.encode(sealed.header),
      ciphertext: b64.encode(sealed.ciphertext),
      keyCommitment: b64.encode(sealed.keyCommitment),
      signature: b64.encode(sealed.signature),
      keys: sealed.keys.map(k => ({number: k.number, deviceId: k.deviceId, encryptionKeyId: k.encryptionKeyId,
        wrappedKey: b64.encode(k.wrapped)})),
    };
    if (mediaIds.length) {
      e2ee.mediaIds = mediaIds;
    }
    return {to, e2ee};
  }

  /**
   * What this device can read of a message as the gateway delivers it (REST, sync, stream), as the
   * Java `MessageDecryptor`; never throws for a message it cannot read.
   * @param {Object} message the API's Message
   * @returns {Promise<{id: string, e2ee: boolean, text: string|null, parts: Object[], attachments: Object[],
   *   error?: string}>} `parts` are the non-text parts; `attachments` the media parts among them (read
   *   an encrypted one with {@link E2ee#attachment})
   */
  async open(message) {
    const id = message?.id ?? null;
    if (!message?.e2ee) {
      const parts = (message?.parts || []).filter(p => p.type !== 'text');
      return {id, e2ee: false, text: message?.text ?? null, parts, attachments: parts.filter(p => p.type === 'media')};
    }
    try {
      const {text, parts} = await this.openEncrypted(message);
      return {id, e2ee: true, text, parts, attachments: parts.filter(isAttachment)};
    } catch (e) {
      return {id, e2ee: true, text: null, parts: [], attachments: [], error: e.message};
    }
  }

  /** @private */
  async openEncrypted(message) {
    const encrypted = message.encrypted;
    if (!encrypted || typeof encrypted !== 'object') {
      throw new Error('the end-to-end message has no encrypted content');
    }
    const key = encrypted.key;
    if (!key || typeof key !== 'object') {
      throw new Error('this device holds no key for this message: it was not one of its recipients'
        + ' (sent before this device was linked)');
    }
    const headerBytes = field(encrypted, 'header');
    const targets = Array.isArray(encrypted.targets) ? encrypted.targets.map(String) : [];
    const received = {header: headerBytes, ciphertext: field(encrypted, 'ciphertext'),
      keyCommitment: field(encrypted, 'keyCommitment'), signature: field(encrypted, 'signature'),
      wrappedKey: field(key, 'wrappedKey'), targetDeviceIds: targets};
    const claimed = headerCodec.decode(headerBytes);
    if (typeof encrypted.senderDeviceId === 'string' && encrypted.senderDeviceId !== claimed.fromDeviceId) {
      throw new Error('the gateway names device ' + encrypted.senderDeviceId + ' as the sender, the message '
        + claimed.fromDeviceId);
    }
    let senderIdentity = await this.trust.knownIdentityKey(claimed.fromNumber, claimed.fromDeviceId);
    if (!senderIdentity) {
      await this.keysFor(claimed.fromNumber, {refresh: true});
      senderIdentity = await this.trust.knownIdentityKey(claimed.fromNumber, claimed.fromDeviceId);
    }
    if (!senderIdentity) {
      throw new Error('the sending device ' + claimed.fromDeviceId + ' is not in a device list signed by the account key'
        + ' of ' + claimed.fromNumber + ': cannot tell who sent it');
    }
    await this.requireVouchedTargets(claimed, targets);
    if (typeof key.encryptionKeyId !== 'string') {
      throw new Error('the wrapped key names no encryption key id');
    }
    if (key.encryptionKeyId !== this.keys.encryptionKeyId) {
      throw new Error("this device no longer has its encryption key '" + key.encryptionKeyId
        + "' that the message was sealed to");
    }
    const opened = await openMessage(received, this.me.deviceId, this.keys.encryptionPrivateKey(), senderIdentity);
    if (opened.header.fromNumber !== message.from || opened.header.toNumber !== message.to) {
      throw new Error('the signed header says ' + opened.header.fromNumber + ' -> ' + opened.header.toNumber
        + ', the gateway shows the message as ' + message.from + ' -> ' + message.to);
    }
    return decodeContent(opened.plaintext);
  }

  /**
   * Every target must be a device a signed list of the two numbers vouched for; one that neither
   * list holds at the versions the header names (a device the gateway slipped in) is refused.
   * @private
   */
  async requireVouchedTargets(header, targets) {
    for (const target of targets) {
      if (await this.trust.knownIdentityKey(header.fromNumber, target)
          || await this.trust.knownIdentityKey(header.toNumber, target)) {
        continue;
      }
      const inSender = await this.listedAt(header.fromNumber, header.fromListVersion, target);
      const inRecipient = await this.listedAt(header.toNumber, header.toListVersion, target);
      if (inSender === false && inRecipient === false) {
        throw new Error('the message was also sealed to device ' + target + ', which is in neither signed device list'
          + ' it was sealed under (' + header.fromNumber + ' version ' + header.fromListVersion + ', ' + header.toNumber
          + ' version ' + header.toListVersion + '): someone else may be able to read it; refusing it');
      }
    }
  }

  /** @private true/false when `number`'s list at `version` can be looked at, null when not */
  async listedAt(number, version, deviceId) {
    let keys = await this.keysFor(number);
    if (keys && keys.listVersion < version) {
      keys = await this.keysFor(number, {refresh: true});
    }
    if (!keys || keys.listVersion !== Number(version)) {
      return null;
    }
    return keys.listed.some(d => d.deviceId === deviceId)
      || !!await this.trust.knownIdentityKey(number, deviceId);
  }

  /**
   * The plaintext bytes of an attachment part of an opened message: downloaded and, for an
   * encrypted one, checked against its digest and decrypted.
   * @param {Object} part a media part from {@link E2ee#open}
   * @returns {Promise<Uint8Array>}
   */
  async attachment(part) {
    const bytes = await this.api.downloadMedia(part.mediaId);
    if (!isAttachment(part)) {
      return bytes;
    }
    return attachments.decrypt(b64.decode(part.key), b64.decode(part.digest), bytes);
  }
}
