/**
 * The page's IndexedDB database `"switchboard"` (version 1), shared by the core and the app:
 * object stores `keys` (this device's keys, {@link module:core/keys}), `trust` (what this device
 * learned about numbers' keys, {@link module:core/trust}) and `kv` (free for the app: session,
 * cursor, drafts, outbox). Values are structured clones, so non-extractable CryptoKeys are stored
 * as they are and stay non-extractable.
 * @module core/store
 */

export const DB_NAME = 'switchboard';
export const DB_VERSION = 1;
export const STORES = ['keys', 'trust', 'kv'];

let opening = null;

/** @returns {Promise<IDBDatabase>} the open database (opened once per page) */
export function db() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        for (const name of STORES) {
          if (!request.result.objectStoreNames.contains(name)) {
            request.result.createObjectStore(name);
          }
        }
      };
      request.onsuccess = () => {
        const database = request.result;
        database.onversionchange = () => {
          database.close();
          opening = null;
        };
        resolve(database);
      };
      request.onerror = () => {
        opening = null;
        reject(request.error);
      };
    });
  }
  return opening;
}

async function run(store, mode, action) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const tx = database.transaction(store, mode);
    const request = action(tx.objectStore(store));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** The value under `key` in `store`, or undefined. */
export function get(store, key) {
  return run(store, 'readonly', s => s.get(key));
}

/** Stores `value` under `key` in `store`. */
export function put(store, key, value) {
  return run(store, 'readwrite', s => s.put(value, key)).then(() => undefined);
}

/** Deletes `key` from `store`. */
export function del(store, key) {
  return run(store, 'readwrite', s => s.delete(key)).then(() => undefined);
}

/** Empties every store (log out). */
export async function clearAll() {
  for (const store of STORES) {
    await run(store, 'readwrite', s => s.clear());
  }
}
