// The page's local copy of the inbox in IndexedDB (its own database, next to the core's "switchboard"
// key database): the session, the sync cursor, conversations, messages as the gateway sent them
// (end-to-end ones still encrypted: they are opened when shown) and the outbox of messages typed
// while offline, each with the Idempotency-Key it will be sent with.

const NAME = 'switchboard-inbox';
const VERSION = 1;
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('kv');
        db.createObjectStore('conversations', { keyPath: 'id' });
        const messages = db.createObjectStore('messages', { keyPath: 'id' });
        messages.createIndex('conversationId', 'conversationId');
        db.createObjectStore('outbox', { keyPath: 'key' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('the local database is open in another tab with an older version'));
    });
  }
  return opening;
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function store(name, mode = 'readonly') {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

export async function get(name, key) {
  return request((await store(name)).get(key));
}

export async function put(name, value, key) {
  return request((await store(name, 'readwrite')).put(value, key));
}

export async function putAll(name, values) {
  if (!values.length) return;
  const db = await open();
  const tx = db.transaction(name, 'readwrite');
  const s = tx.objectStore(name);
  for (const v of values) s.put(v);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export async function del(name, key) {
  return request((await store(name, 'readwrite')).delete(key));
}

export async function all(name) {
  return request((await store(name)).getAll());
}

export async function byIndex(name, index, value) {
  return request((await store(name)).index(index).getAll(value));
}

/** Forgets everything (log out). */
export async function wipe() {
  const db = await open();
  const names = ['kv', 'conversations', 'messages', 'outbox'];
  const tx = db.transaction(names, 'readwrite');
  for (const n of names) tx.objectStore(n).clear();
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
}
