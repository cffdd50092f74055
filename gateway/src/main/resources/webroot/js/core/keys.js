/**
 * This browser's device keys: an Ed25519 identity key (`IKsig`) and an X25519 encryption key
 * (`IKenc`, id "1"), generated with WebCrypto, private halves non-extractable, kept in IndexedDB
 * (database "switchboard", store "keys"). The encryption key is signed by the identity key
 * (`Canonical.encryptionKeyStatement`), as the gateway and every peer require.
 * @module core/keys
 */

import * as b64 from './b64.js';
import * as store from './store.js';
import {encryptionKeyStatement} from './canonical.js';
import {ed25519Generate, ed25519Sign, x25519Generate} from './prim.js';

const RECORD = 'device';
/** The id of a device's first encryption key. */
export const FIRST_ENCRYPTION_KEY_ID = '1';

export class DeviceKeys {
  /** @private use {@link DeviceKeys.loadOrCreate} or {@link DeviceKeys.generate} */
  constructor(record) {
    /** @private */
    this.record = record;
    /** @type {string} the Ed25519 identity public key, base64url of the raw 32 bytes */
    this.identityKey = b64.encode(record.identityPublic);
    /** @type {string} the X25519 encryption public key, base64url */
    this.encryptionKey = b64.encode(record.encryptionPublic);
    /** @type {string} */
    this.encryptionKeyId = record.encryptionKeyId;
    /** @type {string} Ed25519 by the identity key over encryptionKeyStatement, base64url */
    this.encryptionKeySignature = b64.encode(record.encryptionKeySignature);
  }

  /**
   * The keys kept in IndexedDB, or fresh ones (then kept) the first time.
   * @returns {Promise<DeviceKeys>}
   */
  static async loadOrCreate() {
    const kept = await store.get('keys', RECORD);
    if (kept) {
      return new DeviceKeys(kept);
    }
    const keys = await DeviceKeys.generate();
    await store.put('keys', RECORD, keys.record);
    return keys;
  }

  /**
   * Fresh keys kept only in memory (tests, or a caller that stores them itself).
   * @returns {Promise<DeviceKeys>}
   */
  static async generate() {
    const identity = await ed25519Generate(false);
    const encryption = await x25519Generate(false);
    const signature = await ed25519Sign(identity.privateKey, encryptionKeyStatement(encryption.publicKey));
    return new DeviceKeys({
      identityPrivate: identity.privateKey,
      identityPublic: identity.publicKey,
      encryptionPrivate: encryption.privateKey,
      encryptionPublic: encryption.publicKey,
      encryptionKeyId: FIRST_ENCRYPTION_KEY_ID,
      encryptionKeySignature: signature,
    });
  }

  /** Deletes the keys and everything else this page kept in IndexedDB (log out). */
  static async forget() {
    await store.clearAll();
  }

  /** @returns {Uint8Array} the raw 32-byte identity public key */
  get rawIdentityKey() {
    return this.record.identityPublic.slice();
  }

  /** @returns {Uint8Array} the raw 32-byte encryption public key */
  get rawEncryptionKey() {
    return this.record.encryptionPublic.slice();
  }

  /**
   * The Ed25519 signature of `bytes` by the identity key.
   * @param {Uint8Array} bytes
   * @returns {Promise<Uint8Array>} 64 bytes
   */
  sign(bytes) {
    return ed25519Sign(this.record.identityPrivate, bytes);
  }

  /** @returns {CryptoKey} the non-extractable X25519 private key */
  encryptionPrivateKey() {
    return this.record.encryptionPrivate;
  }
}
