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

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('the local database transaction was aborted'));
  });
}

async function store(name, mode = 'readonly') {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

export async function get(name, key) {
  return request((await store(name)).get(key));
}

/**
 * Runs `fn({put, del})` in one readwrite transaction over `names` and resolves once the whole
 * transaction is committed (oncomplete), so writes that belong together (a message, its
 * conversation and the cursor past the event that brought them) are kept all or none.
 */
export async function write(names, fn) {
  const db = await open();
  const tx = db.transaction(names, 'readwrite');
  const finished = done(tx);
  try {
    fn({
      put: (name, value, key) => { tx.objectStore(name).put(value, key); },
      del: (name, key) => { tx.objectStore(name).delete(key); },
    });
  } catch (e) {
    try { tx.abort(); } catch { /* already finished */ }
    finished.catch(() => {});
    throw e;
  }
  return finished;
}

export async function put(name, value, key) {
  return write([name], (t) => t.put(name, value, key));
}

export async function putAll(name, values) {
  if (!values.length) return;
  return write([name], (t) => { for (const v of values) t.put(name, v); });
}

export async function del(name, key) {
  return write([name], (t) => t.del(name, key));
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
  const finished = done(tx);
  for (const n of names) tx.objectStore(n).clear();
  await finished;
}
