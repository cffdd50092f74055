// A gateway inside the test page that answers the core's Api calls the way a hostile gateway could:
// the test decides what GET /v1/keys/{number} shows and how POST /v1/messages answers. The numbers'
// keys are real (made and signed here), so everything the core verifies verifies.
import * as b64 from '/js/core/b64.js';
import {DeviceKeys} from '/js/core/keys.js';
import {deviceList} from '/js/core/canonical.js';
import {ApiError} from '/js/core/api.js';
import {sealMessage} from '/js/core/message.js';
import {encodeContent} from '/js/core/e2ee.js';

/** A number with one primary device (its identity key is the account key), list version 1. */
export async function account(number, deviceId = 'dev' + number.replace(/\D/g, '')) {
  const keys = await DeviceKeys.generate();
  return {number, deviceId, keys, version: 1};
}

/** What GET /v1/keys/{number} shows for `account`; `options.unsigned`: without the encryption key signature. */
export async function keysAnswer(acc, options = {}) {
  const k = acc.keys;
  const listed = [{deviceId: acc.deviceId, identityKey: k.rawIdentityKey, encryptionKey: k.rawEncryptionKey, kind: 'primary'}];
  const issuedAt = 1_700_000_000_000;
  const signature = await k.sign(deviceList(acc.number, acc.version, issuedAt, listed));
  const device = {deviceId: acc.deviceId, kind: 'primary', identityKey: k.identityKey, encryptionKey: k.encryptionKey,
    encryptionKeyId: k.encryptionKeyId};
  if (!options.unsigned) {
    device.encryptionKeySignature = k.encryptionKeySignature;
  }
  const answer = {number: acc.number, accountKey: k.identityKey, devices: [device]};
  if (!options.noList) {
    answer.deviceList = {version: acc.version, issuedAt, stale: false, signature: b64.encode(signature),
      devices: listed.map(d => ({deviceId: d.deviceId, identityKey: b64.encode(d.identityKey),
        encryptionKey: b64.encode(d.encryptionKey), kind: d.kind}))};
  }
  return answer;
}

/** A message `from` sealed to the devices of `from` and `to`, as the API delivers it to `to`'s device. */
export async function sealedTo(from, to, payload, id = 'm_' + crypto.randomUUID()) {
  const plaintext = typeof payload === 'string' ? new TextEncoder().encode(payload) : encodeContent(payload.text, payload.parts);
  const header = {messageId: 'e2e_' + crypto.randomUUID(), fromNumber: from.number, fromDeviceId: from.deviceId,
    toNumber: to.number, sentAt: Date.now(), fromListVersion: from.version, toListVersion: to.version};
  const targets = [from, to].map(a => ({number: a.number, deviceId: a.deviceId, encryptionKeyId: a.keys.encryptionKeyId,
    encryptionKey: a.keys.rawEncryptionKey}));
  const sealed = await sealMessage(header, s => from.keys.sign(s), targets, plaintext);
  const mine = sealed.keys.find(k => k.deviceId === to.deviceId && k.number === to.number);
  return {id, e2ee: true, from: from.number, to: to.number, direction: 'in',
    encrypted: {header: b64.encode(sealed.header), ciphertext: b64.encode(sealed.ciphertext),
      keyCommitment: b64.encode(sealed.keyCommitment), signature: b64.encode(sealed.signature),
      senderDeviceId: from.deviceId, targets: targets.map(t => t.deviceId),
      key: {encryptionKeyId: mine.encryptionKeyId, wrappedKey: b64.encode(mine.wrapped)}}};
}

/**
 * The Api the core talks to. `keys[number]`: an answer, null for 404, or a function returning one.
 * `answers`: what the next POSTs get, in order (an ApiError-like {status, code} is thrown, anything
 * else returned); when they run out, an accepted message. Every POST is logged in `posts`.
 */
export class HostileApi {
  constructor() {
    this.keys = {};
    this.answers = [];
    this.posts = [];
    this.keyFetches = [];
  }

  async get(path) {
    const match = /^\/v1\/keys\/(.+)$/.exec(path);
    if (!match) {
      throw new ApiError(404, 'not_found', path);
    }
    const number = decodeURIComponent(match[1]);
    this.keyFetches.push(number);
    let answer = this.keys[number];
    if (typeof answer === 'function') {
      answer = await answer();
    }
    if (!answer) {
      throw new ApiError(404, 'not_found', number + ' is not served here');
    }
    return structuredClone(answer);
  }

  async post(path, body, options = {}) {
    this.posts.push({path, body: structuredClone(body), idempotencyKey: options.idempotencyKey});
    const next = this.answers.shift();
    if (typeof next === 'function') {
      return next(body, options);
    }
    if (next && next.status !== undefined) {
      throw new ApiError(next.status, next.code, next.message || next.code);
    }
    return next || {id: 'msg_' + this.posts.length, conversationId: 'conv_1', status: 'accepted',
      channel: body.e2ee ? 'onnet' : 'sms', seq: this.posts.length};
  }

  async uploadMedia() {
    return {mediaId: 'media_' + crypto.randomUUID()};
  }
}

/** The account key (base64url) a POSTed e2ee body was sealed to for `number`: which keys it trusted. */
export function sealedFor(post, number) {
  return (post.body.e2ee?.keys || []).filter(k => k.number === number).map(k => k.deviceId);
}
