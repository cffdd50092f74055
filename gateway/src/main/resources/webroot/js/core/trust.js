/**
 * What this device learned about numbers' keys, so the gateway cannot quietly take it back
 * (the Java `TrustStore` and the vouched-key memory of `KeyDirectory`, kept simple). Per number:
 * the account key last seen, whether a change of it is still unacknowledged, the highest signed
 * device list version seen under each account key, and the identity key of every device a verified
 * list signed by an account key of the number ever listed (to check messages such a device sent).
 *
 * Rules of {@link TrustStore#accept}: under an account key the list version may only go up (a lower
 * one, or none after one was seen, is a rollback: refused, Error `code` `"rollback"`); a different
 * account key than the one last seen is remembered and reported as changed until
 * {@link TrustStore#acknowledge acknowledged}; the first key seen is trusted on first use (the
 * security code is how people check it). Kept in IndexedDB (store "trust") unless `memory`.
 * @module core/trust
 */

import * as b64 from './b64.js';
import * as store from './store.js';

/**
 * @typedef {Object} Peer
 * @property {string|null} accountKey base64url
 * @property {number} highestVersion the highest list version seen under accountKey
 * @property {boolean} changeUnacknowledged
 * @property {Object<string, number>} versions highest version per account key (base64url)
 * @property {Object<string, string>} devices identity key (base64url) per device id ever listed
 */

export class TrustStore {
  /** @param {{memory?: boolean}} [options] memory: keep nothing in IndexedDB (tests) */
  constructor(options = {}) {
    this.memory = options.memory ? new Map() : null;
    this.queue = Promise.resolve();
  }

  async load(number) {
    return this.memory ? this.memory.get(number) : store.get('trust', number);
  }

  async save(number, peer) {
    if (this.memory) {
      this.memory.set(number, structuredClone(peer));
    } else {
      await store.put('trust', number, peer);
    }
  }

  /** Runs `action` after every earlier change: no update is lost to another. */
  serial(action) {
    const next = this.queue.then(action, action);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * What is remembered about `number`, or null if its keys were never verified here.
   * @returns {Promise<Peer|null>}
   */
  async peer(number) {
    const peer = await this.load(number);
    return peer ? structuredClone(peer) : null;
  }

  /**
   * Checks a verified answer for `number` against what is remembered, and remembers it.
   * @param {string} number
   * @param {Uint8Array|null} accountKey the account key shown, raw
   * @param {number} listVersion the version of the list that verified with it, 0 if none did
   * @param {Array<{deviceId: string, identityKey: Uint8Array}>} [listed] the devices of that list
   * @returns {Promise<boolean>} whether the account key changed and the change is unacknowledged
   * @throws {Error} `code` "rollback" when listVersion is below the highest seen under that key
   */
  accept(number, accountKey, listVersion, listed = []) {
    return this.serial(async () => {
      if (!Number.isSafeInteger(listVersion) || listVersion < 0 || (!accountKey && listVersion > 0)) {
        throw new Error('a list version of ' + listVersion + ' with ' + (accountKey ? 'an' : 'no') + ' account key');
      }
      const known = await this.load(number);
      const peer = known || {accountKey: null, highestVersion: 0, changeUnacknowledged: false, versions: {}, devices: {}};
      const shown = accountKey ? b64.encode(accountKey) : null;
      const changed = peer.accountKey !== null && shown !== null && shown !== peer.accountKey;
      const key = shown ?? peer.accountKey;
      const floor = key === null ? peer.highestVersion : (peer.versions[key] ?? 0);
      if (listVersion < floor) {
        const error = new Error(listVersion === 0
          ? 'the gateway shows no device list of ' + number + ' signed by its account key, but version ' + floor
            + ' was seen before: refusing a rollback'
          : 'the device list of ' + number + ' is at version ' + listVersion + ', but version ' + floor
            + ' was seen before: refusing a rollback');
        error.code = 'rollback';
        throw error;
      }
      const highest = Math.max(floor, listVersion);
      if (key !== null) {
        peer.versions[key] = highest;
      }
      peer.accountKey = key;
      peer.highestVersion = highest;
      peer.changeUnacknowledged = peer.changeUnacknowledged || changed;
      if (listVersion > 0) {
        for (const device of listed) {
          peer.devices[device.deviceId] = b64.encode(device.identityKey);
        }
      }
      await this.save(number, peer);
      return peer.changeUnacknowledged;
    });
  }

  /**
   * Acknowledges a change of `number`'s account key (the user compared the security code again).
   * @returns {Promise<boolean>} whether there was an unacknowledged change
   */
  acknowledge(number) {
    return this.serial(async () => {
      const peer = await this.load(number);
      if (!peer || !peer.changeUnacknowledged) {
        return false;
      }
      peer.changeUnacknowledged = false;
      await this.save(number, peer);
      return true;
    });
  }

  /**
   * The identity key a verified list of `number` listed for `deviceId`, now or before, or null.
   * @returns {Promise<Uint8Array|null>}
   */
  async knownIdentityKey(number, deviceId) {
    const peer = await this.load(number);
    const key = peer && Object.prototype.hasOwnProperty.call(peer.devices, deviceId) ? peer.devices[deviceId] : null;
    return key ? b64.decode(key) : null;
  }
}

let shared = null;

/** The page's one persistent trust store. @returns {TrustStore} */
export function defaultTrustStore() {
  if (!shared) {
    shared = new TrustStore();
  }
  return shared;
}
