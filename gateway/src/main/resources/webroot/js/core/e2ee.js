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
import {readParts, readText, readMessage} from './content.js';

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
  for (const part of root.parts || []) {
    if (!part || typeof part !== 'object' || typeof part.type !== 'string') {
      throw new Error('a part of the decrypted payload has no type');
    }
  }
  // Only the peer wrote this (the gateway never saw it): the rules the gateway applies to plaintext,
  // and fresh objects of known fields only, before anything shows it.
  const parts = readParts(root.parts, {encrypted: true, path: 'payload'});
  return {text: readText(root.text, 'payload', Number.MAX_SAFE_INTEGER), parts};
}

function coded2(code, message, extra) {
  return Object.assign(coded(code, message), extra);
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
      return {message: await this.replay(idempotencyKey, kept), encrypted: kept.encrypted, refusals: []};
    }
    let peer = await this.keysFor(to);
    let own = null;
    if (peer) {
      await this.refuseUnacknowledgedChanges(to);
      own = await this.keysFor(this.me.number);
      await this.refuseUnacknowledgedChanges(to);
      if (!capable(peer) || !capable(own)) {
        // The keys kept may be old: look again before sending anything in the clear.
        peer = await this.keysFor(to, {refresh: true});
        own = await this.keysFor(this.me.number, {refresh: true});
        await this.refuseUnacknowledgedChanges(to);
      }
      if (peer && capable(peer) && capable(own)) {
        return this.sendEncrypted(to, text, parts, files, idempotencyKey, [], options);
      }
    }
    await this.refuseDowngrade(to, peer, own);
    try {
      return await this.sendPlain(to, text, parts, files, idempotencyKey, options);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409 || e.code !== 'e2ee_required') {
        throw e;
      }
      this.sentBodies.delete(idempotencyKey);
      await this.keysFor(to, {refresh: true});
      await this.keysFor(this.me.number, {refresh: true});
      await this.refuseUnacknowledgedChanges(to);
      return this.sendEncrypted(to, text, parts, files, idempotencyKey + '.e2e', ['e2ee_required'], options);
    }
  }

  /**
   * Refuses while the account key of `to` or of this device's own number changed unacknowledged;
   * checked after every fetch of keys, right before each sealing (as the Java `E2eeSender`): a
   * gateway can answer 409 just to serve another account key, and its devices, to the retry.
   * @private
   */
  async refuseUnacknowledgedChanges(to) {
    for (const number of [to, this.me.number]) {
      if (await this.accountKeyChanged(number)) {
        throw coded2('account_key_changed', 'the account key of ' + number + ' changed: compare the security code'
          + ' and acknowledge the change before sending; nothing was sent', {number});
      }
    }
  }

  /**
   * Whether this device verified a device list of `number` signed by its account key before (then
   * the gateway's word is not enough to write to it in the clear).
   * @param {string} number
   * @returns {Promise<boolean>}
   */
  async signedBefore(number) {
    const peer = await this.trust.peer(number);
    return !!peer && (peer.highestVersion > 0 || Object.values(peer.versions || {}).some(v => v > 0)
      || Object.keys(peer.devices || {}).length > 0);
  }

  /**
   * Refuses a plaintext send to `to` when this device verified a signed device list of it before
   * (a gateway's 404, an unsigned encryption key or a missing list is then what a downgrading
   * gateway would say), as the Java `E2eeSender.refuseDowngrade`: Error `code` "plaintext_refused".
   * @param {string} to
   * @param {Object|null} [peer] the keys of `to` as last fetched (null: not served)
   * @param {Object|null} [own] this number's keys as last fetched
   */
  async refuseDowngrade(to, peer = null, own = null) {
    if (!await this.signedBefore(to)) {
      return;
    }
    let why;
    if (!peer) {
      why = 'the gateway says that it does not serve ' + to;
    } else if (!(peer.listVersion > 0)) {
      why = 'the gateway shows no device list of ' + to + ' signed by its account key';
    } else if (!capable(peer)) {
      why = 'the gateway shows ' + to + ' with a device whose encryption key is not signed ('
        + peer.devices.filter(d => !d.encryptionKeySigned).map(d => d.deviceId).join(', ') + ')';
    } else {
      why = 'the gateway shows this device\'s own number ' + this.me.number + ' as not end-to-end capable';
    }
    throw coded2('plaintext_refused', 'not sending in the clear to ' + to + ', whose signed device list this device'
      + ' verified before: ' + why + '; nothing was sent', {number: to});
  }

  /**
   * Resends the body kept under `idempotencyKey` (after a network failure) identically; a refusal
   * (4xx) forgets it, so that a later try starts afresh instead of replaying a refused body.
   * @private
   */
  async replay(idempotencyKey, kept) {
    try {
      return await this.api.post('/v1/messages', kept.body, {idempotencyKey: kept.key});
    } catch (e) {
      this.forgetIfRefused(idempotencyKey, e);
      throw e;
    }
  }

  /** @private */
  forgetIfRefused(idempotencyKey, e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
      this.sentBodies.delete(idempotencyKey);
    }
  }

  /**
   * Posts `body` under `key` (the attempt's Idempotency-Key); the entry kept under the send's own
   * `idempotencyKey` names this body and key before it goes out, so that a retry of the send after
   * a network failure resends exactly what may have been accepted, and is forgotten on a refusal.
   * @private
   */
  async post(body, idempotencyKey, encrypted, key = idempotencyKey) {
    this.sentBodies.set(idempotencyKey, {body, key, encrypted});
    try {
      try {
        return await this.api.post('/v1/messages', body, {idempotencyKey: key});
      } catch (e) {
        if (e instanceof ApiError && e.status === 0) {
          return await this.api.post('/v1/messages', body, {idempotencyKey: key});
        }
        throw e;
      }
    } catch (e) {
      this.forgetIfRefused(idempotencyKey, e);
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
      // Every fetch may have brought another account key: checked right before each sealing.
      await this.refuseUnacknowledgedChanges(to);
      const body = await this.sealedBody(to, messageId, peer, own, plaintext, mediaIds);
      const key = attempt === 1 ? idempotencyKey : idempotencyKey + '.' + attempt;
      try {
        const message = await this.post(body, idempotencyKey, true, key);
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
      // The gateway checked it when it took it, but a gateway may be hostile: checked here too.
      try {
        const read = readMessage(message);
        const parts = read.parts.filter(p => p.type !== 'text');
        return {id, e2ee: false, text: read.text, parts, attachments: parts.filter(p => p.type === 'media'),
          suggestions: read.suggestions};
      } catch (e) {
        return {id, e2ee: false, text: null, parts: [], attachments: [], suggestions: [], error: e.message};
      }
    }
    try {
      const {text, parts} = await this.openEncrypted(message);
      return {id, e2ee: true, text, parts, attachments: parts.filter(isAttachment), suggestions: []};
    } catch (e) {
      return {id, e2ee: true, text: null, parts: [], attachments: [], suggestions: [], error: e.message};
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
