// The inbox as this device knows it: conversations and messages (mirrored in IndexedDB), the sync
// cursor, the outbox of messages not yet accepted by the gateway, and every way they change — the
// initial sync, catching up on a later visit, live events, sends, read markers and typing.
import * as db from './db.js';
import { randomKey } from './dom.js';
import { ApiError, readMessage } from './core.js';
import { LiveStream } from './stream.js';

const PAGE = 50;
const TYPING_REFRESH_MS = 3000;
const TYPING_IDLE_MS = 4000;
const PEER_TYPING_TIMEOUT_MS = 6000;
const ERROR_VIEW_RETRY_MS = 30_000;
const MAX_ORPHAN_UPDATES = 500;

/** A failure to reach the gateway at all (as opposed to an answer refusing the request). */
export function isNetworkError(e) {
  if (e instanceof ApiError) return !e.status || e.status === 0 || e.status >= 502;
  return e instanceof TypeError || (e && (e.name === 'NetworkError' || e.code === 'network'));
}

function when(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

export class Inbox {
  constructor({ api, e2ee, session }) {
    this.api = api;
    this.e2ee = e2ee;
    this.session = session;
    this.conversations = new Map();
    this.messages = new Map();
    this.views = new Map();
    this.outbox = [];
    this.cursor = 0;
    this.activeId = null;
    this.draft = null; // {peer, channel} for a new conversation not yet sent to
    this.ownDevices = new Set([session.deviceId]);
    this.peerTyping = new Map(); // conversationId -> timeout handle
    this.online = false;
    this.everConnected = false;
    this.connectionFailed = false; // a real failure to reach the gateway (the offline banner shows only then)
    this.caughtUp = false; // the initial sync (or a later visit's catch-up) is done
    this.initialLoading = false;
    this.applyQueue = Promise.resolve();
    this.orphanUpdates = new Map(); // message.updated for messages not loaded (yet): id -> message
    this.localLoaded = false;
    this.storedCursor = null;
    this.syncing = null; // {label, value, max}
    this.listeners = new Set();
    this.typingSentAt = 0;
    this.typingTimer = null;
    this.typingConversation = null;
    this.uploadProgress = null;
    this.onUnlinked = () => {};
  }

  // ---- change notification ----------------------------------------------------------------

  subscribe(fn) {
    this.listeners.add(fn);
  }

  changed(what = 'all') {
    for (const fn of this.listeners) fn(what);
  }

  // ---- start: local copy, catch up, live stream ------------------------------------------------

  async start() {
    if (!this.localLoaded) {
      const [cursor, conversations, messages, outbox] = await Promise.all([
        db.get('kv', 'cursor'), db.all('conversations'), db.all('messages'), db.all('outbox')]);
      for (const c of conversations) this.conversations.set(c.id, c);
      for (const m of messages) this.messages.set(m.id, m);
      this.outbox = outbox.sort((a, b) => a.createdAt - b.createdAt);
      for (const item of this.outbox) if (item.state === 'sending') item.state = 'pending';
      this.storedCursor = typeof cursor === 'number' ? cursor : null;
      if (this.storedCursor !== null) this.cursor = this.storedCursor;
      this.localLoaded = true;
      this.changed();
      this.loadOwnDevices();
    }
    if (this.storedCursor !== null) {
      // Later visits: once the head is known (a few small requests) the stream opens (from the stored
      // cursor) while the catch-up reads the log up to the head with progress; both apply through one
      // queue, each event once, in order.
      await this.catchUp();
    } else {
      await this.initialSync();
    }
  }

  /** Opens the live stream (once); events it brings are applied through the same queue as the catch-up. */
  openStream() {
    if (this.stream) return;
    this.stream = new LiveStream({
      token: this.session.token,
      cursor: () => this.cursor,
      apply: (event) => this.apply(event),
      typing: (frame) => this.onTypingFrame(frame),
      onState: (connected) => this.setOnline(connected),
      onFailed: () => this.setConnectionFailed(),
      onUnlinked: () => this.onUnlinked(),
    });
    this.stream.start();
  }

  stop() {
    if (this.stream) this.stream.stop();
  }

  /** A connection attempt failed (the gateway could not be reached): the offline banner may show. */
  setConnectionFailed() {
    if (this.online || this.connectionFailed) return;
    this.connectionFailed = true;
    this.changed('online');
  }

  /** Synced: the initial sync or catch-up is done and the live stream is open. */
  isSynced() {
    return this.caughtUp && this.online;
  }

  async loadOwnDevices() {
    try {
      const answer = await this.api.get('/v1/devices');
      for (const d of answer.devices || []) this.ownDevices.add(d.id);
    } catch (e) {
      // Only used to tell our own number's typing from the peer's; the page works without it.
    }
  }

  setOnline(connected) {
    this.online = connected;
    if (connected) {
      this.everConnected = true;
      this.connectionFailed = false;
      // Decryptions that failed while the connection was down may work now.
      this.forgetErrorViews();
    }
    this.changed('online');
    if (connected) {
      this.flush();
      this.markActiveRead();
      if (!this.caughtUp && !this.catchingUp && this.storedCursor !== null) this.catchUp().catch((e) => console.error(e));
    }
  }

  /** The last seq of the log: the smallest `since` for which GET /v1/sync answers no events. */
  async head(from = 0) {
    const empty = async (since) => (await this.api.get(`/v1/sync?since=${since}&limit=1`)).events.length === 0;
    if (await empty(from)) return from;
    let lo = from;
    let step = 1;
    let hi = from + step;
    while (!(await empty(hi))) {
      lo = hi;
      step *= 2;
      hi = from + step;
    }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await empty(mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  progress(label, value, max) {
    this.syncing = label ? { label, value, max } : null;
    this.changed('progress');
  }

  /**
   * First visit: the conversations newest first, each with its latest messages, so the list is
   * usable at once, then the cursor at the head of the log as it was before loading began (the
   * stream replays anything that happened meanwhile; applying an event twice changes nothing).
   */
  async initialSync() {
    this.progress('Connecting…', 0, 0);
    const head = await this.head(0);
    if (!this.initialLoading) {
      // The stream follows from the head right away; the cursor is stored only once everything up to
      // the head is loaded, so a page closed meanwhile starts over instead of missing messages.
      this.cursor = Math.max(this.cursor, head);
      this.initialLoading = true;
      this.openStream();
    }
    const listed = [];
    let cursor = null;
    do {
      const page = await this.api.get(`/v1/conversations?limit=${PAGE}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
      for (const c of page.conversations) {
        listed.push(c);
        this.addListedConversation(c, -listed.length);
      }
      cursor = page.next;
      this.progress(`Loading conversations: 0 of ${listed.length}${cursor ? '+' : ''}`, 0, listed.length);
    } while (cursor);
    await db.putAll('conversations', listed.map((c) => this.conversations.get(c.id)).filter(Boolean));
    let loaded = 0;
    for (const c of listed) {
      await this.loadMessages(c.id);
      loaded++;
      this.progress(`Loading conversations: ${loaded} of ${listed.length}`, loaded, listed.length);
    }
    // Events applied meanwhile are stored (without the cursor); the cursor now covers them all.
    const stored = this.applyQueue.then(async () => {
      await db.put('kv', this.cursor, 'cursor');
      this.storedCursor = this.cursor;
      this.initialLoading = false;
    });
    this.applyQueue = stored.catch(() => {});
    await stored;
    this.caughtUp = true;
    this.progress(null);
  }

  /** Later visits: only the events after the stored cursor, with their count as progress. */
  async catchUp() {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      let head;
      try {
        head = await this.head(this.cursor);
      } catch (e) {
        this.openStream();
        if (isNetworkError(e)) return; // offline: retried once the stream is back (setOnline)
        throw e;
      }
      const start = this.cursor;
      this.openStream();
      const total = head - start;
      if (total > 0) {
        this.progress(`Syncing new events: 0 of ${total}`, 0, total);
        while (this.cursor < head) {
          const page = await this.api.get(`/v1/sync?since=${this.cursor}&limit=500`);
          for (const event of page.events) await this.apply(event);
          this.progress(`Syncing new events: ${Math.min(this.cursor, head) - start} of ${total}`, Math.min(this.cursor, head) - start, total);
          if (!page.hasMore) break;
        }
      }
      this.caughtUp = true;
      this.progress(null);
    } finally {
      this.catchingUp = false;
    }
  }

  addListedConversation(c, activity) {
    const existing = this.conversations.get(c.id);
    if (existing && existing.fromStream) {
      // The stream brought it first (during the initial sync): its state is the newer one.
      existing.unsubscribed = !!c.unsubscribed;
      existing.e2ee = existing.e2ee || !!c.e2ee;
      this.changed('list');
      return;
    }
    const conv = {
      id: c.id, peer: c.peer, channel: c.channel, e2ee: !!c.e2ee, unread: c.unread || 0, updatedAt: c.updatedAt,
      unsubscribed: !!c.unsubscribed, activity: existing ? existing.activity : activity, loaded: existing ? existing.loaded : 0,
      complete: existing ? existing.complete : false, lastMessageId: c.lastMessage ? c.lastMessage.id : null,
    };
    this.conversations.set(c.id, conv);
    if (c.lastMessage && !this.messages.has(c.lastMessage.id)) {
      this.messages.set(c.lastMessage.id, { ...c.lastMessage, ord: -1 });
    }
    this.changed('list');
  }

  /** The next (older) page of a conversation's messages. */
  async loadMessages(conversationId) {
    const conv = this.conversations.get(conversationId);
    if (!conv || conv.complete) return;
    const before = conv.oldestId ? `&before=${encodeURIComponent(conv.oldestId)}` : '';
    const page = await this.api.get(`/v1/conversations/${encodeURIComponent(conversationId)}/messages?limit=${PAGE}${before}`);
    const fresh = [];
    page.messages.forEach((listedMessage) => {
      conv.loaded = (conv.loaded || 0) + 1;
      const existing = this.messages.get(listedMessage.id);
      // What the stream brought (an event after the head) is at least as new as this page.
      const orphan = this.orphanUpdates.get(listedMessage.id);
      this.orphanUpdates.delete(listedMessage.id);
      const m = existing && existing.fromSeq ? existing : (orphan || listedMessage);
      const kept = { ...m, ord: existing ? existing.ord : -conv.loaded };
      this.messages.set(m.id, kept);
      fresh.push(kept);
      conv.oldestId = m.id;
    });
    conv.complete = !page.next;
    await db.write(['messages', 'conversations'], (t) => {
      for (const m of fresh) t.put('messages', m);
      t.put('conversations', conv);
    });
    this.changed(conversationId === this.activeId ? 'thread' : 'list');
  }

  // ---- events --------------------------------------------------------------------------------

  /**
   * Applies one sync event (in seq order), stores the result and the cursor past it in one
   * transaction, then moves the cursor. Events from the catch-up and from the stream go through one
   * queue, so each is applied once, in order.
   */
  apply(event) {
    const run = this.applyQueue.then(() => this.applyNow(event));
    this.applyQueue = run.catch(() => {});
    return run;
  }

  async applyNow(event) {
    if (typeof event.seq !== 'number' || event.seq <= this.cursor) return;
    const d = event.data || {};
    const writes = { messages: [], conversations: [] };
    let what = 'list';
    switch (event.type) {
      case 'message.created':
      case 'message.updated':
        this.upsertMessage(d, event.seq, { created: event.type === 'message.created', writes });
        what = 'messages';
        break;
      case 'conversation.read': {
        const conv = this.conversations.get(d.conversationId);
        if (conv) {
          conv.unread = 0;
          writes.conversations.push(conv);
        }
        break;
      }
      case 'conversation.updated': {
        const conv = this.conversations.get(d.conversationId);
        if (conv) {
          conv.unsubscribed = !!d.unsubscribed;
          writes.conversations.push(conv);
        }
        break;
      }
      case 'device.linked':
        this.ownDevices.add(d.id);
        break;
      case 'device.unlinked':
        if (d.id === this.session.deviceId) {
          this.onUnlinked();
          return;
        }
        break;
      case 'device.updated':
      case 'device_list.updated':
        // A new signed device list may make messages readable that were not before.
        this.forgetErrorViews();
        what = 'keys';
        break;
      default:
        break;
    }
    const storeCursor = !this.initialLoading;
    await db.write(['messages', 'conversations', 'kv'], (t) => {
      for (const m of writes.messages) t.put('messages', m);
      for (const c of new Set(writes.conversations)) t.put('conversations', c);
      if (storeCursor) t.put('kv', event.seq, 'cursor');
    });
    this.cursor = event.seq;
    this.changed(what);
  }

  /**
   * A message from an event (or a provisional one from a send's answer): inserted only when it is
   * new (message.created); an update patches a message this page has and is otherwise kept aside
   * until the message is loaded, so it does not show up as a new message or count as unread.
   */
  upsertMessage(m, seq, { created = true, writes = null } = {}) {
    if (!m || !m.id || !m.conversationId) return;
    const existing = this.messages.get(m.id);
    if (!existing && !created) {
      if (this.orphanUpdates.size >= MAX_ORPHAN_UPDATES) this.orphanUpdates.delete(this.orphanUpdates.keys().next().value);
      this.orphanUpdates.set(m.id, { ...m, fromSeq: seq });
      return;
    }
    const kept = { ...m, ord: existing ? existing.ord : seq };
    if (Number.isInteger(seq)) kept.fromSeq = seq;
    if (existing && existing.provisional && !m.provisional) this.views.delete(m.id);
    this.messages.set(m.id, kept);
    let conv = this.conversations.get(m.conversationId);
    if (!conv) {
      conv = {
        id: m.conversationId, peer: m.direction === 'out' ? m.to : m.from, channel: m.channel, e2ee: !!m.e2ee,
        unread: 0, updatedAt: m.createdAt, unsubscribed: false, activity: seq, loaded: 0, lastMessageId: m.id,
        // During the initial sync it may be an old conversation not listed yet: its history is loaded then.
        complete: !this.initialLoading, fromStream: this.initialLoading,
      };
      this.conversations.set(conv.id, conv);
      if (this.draft && this.draft.peer === conv.peer) {
        this.activeId = conv.id;
        this.draft = null;
        this.changed('active');
      }
    }
    // The gateway's own event for a message this page showed provisionally brings the real time.
    if (!existing || (existing.provisional && !m.provisional)) {
      conv.activity = Math.max(conv.activity || 0, seq);
      if (when(m.createdAt) >= when(conv.updatedAt)) conv.updatedAt = m.createdAt;
      const last = conv.lastMessageId && this.messages.get(conv.lastMessageId);
      if (!last || this.compare(kept, last) >= 0) conv.lastMessageId = m.id;
      if (m.direction === 'in') {
        conv.channel = m.channel;
        if (this.isShowing(conv.id)) this.markReadSoon(conv.id);
        else conv.unread = (conv.unread || 0) + 1;
        this.clearPeerTyping(conv.id);
      }
    }
    if (m.e2ee) conv.e2ee = true;
    if (writes) {
      writes.messages.push(kept);
      writes.conversations.push(conv);
    }
    return { kept, conv };
  }

  /** The newest time the gateway has stamped on anything this page holds (now, by the gateway's clock, or just before). */
  latestGatewayTime() {
    let latest = 0;
    for (const c of this.conversations.values()) latest = Math.max(latest, when(c.updatedAt));
    for (const m of this.messages.values()) if (!m.provisional) latest = Math.max(latest, when(m.createdAt));
    return new Date(latest || Date.now()).toISOString();
  }

  /** Message order: creation time, then the order the log gave them. */
  compare(a, b) {
    return (when(a.createdAt) - when(b.createdAt)) || ((a.ord || 0) - (b.ord || 0));
  }

  // ---- reading -------------------------------------------------------------------------------

  sortedConversations() {
    return [...this.conversations.values()].sort((a, b) =>
      (when(b.updatedAt) - when(a.updatedAt)) || ((b.activity || 0) - (a.activity || 0)));
  }

  messagesOf(conversationId) {
    return [...this.messages.values()].filter((m) => m.conversationId === conversationId).sort((a, b) => this.compare(a, b));
  }

  /**
   * What a message says: the plaintext fields, or the end-to-end content opened in this page. A
   * failure to open is kept only for a while (and forgotten on reconnect and on new device lists),
   * and not at all while offline, so a temporary failure does not stick for the session.
   */
  async view(m) {
    const cached = this.views.get(m.id);
    if (cached && !(cached.error && Date.now() - cached.at > ERROR_VIEW_RETRY_MS)) return cached;
    let v;
    if (m.e2ee) {
      try {
        v = await this.e2ee.open(m);
      } catch (e) {
        v = { error: e.message || String(e) };
      }
      v = v || {};
      v = {
        text: typeof v.text === 'string' ? v.text : null, parts: Array.isArray(v.parts) ? v.parts : [], attachments: [],
        suggestions: Array.isArray(v.suggestions) ? v.suggestions : [], error: v.error ? String(v.error) : null,
      };
    } else {
      // Validated and normalised in the core: the UI never gets parts as the gateway sent them.
      try {
        const read = readMessage(m);
        v = { text: read.text, parts: read.parts, attachments: [], suggestions: read.suggestions, error: null };
      } catch (e) {
        v = { text: null, parts: [], attachments: [], suggestions: [], error: e.message || String(e) };
      }
    }
    if (v.error) {
      v.at = Date.now();
      if (!this.online || (typeof navigator !== 'undefined' && navigator.onLine === false) || /fetch|network/i.test(v.error)) {
        return v; // most likely the connection: try again on the next render
      }
    }
    this.views.set(m.id, v);
    return v;
  }

  forgetErrorViews() {
    for (const [id, v] of this.views) if (v.error) this.views.delete(id);
  }

  isShowing(conversationId) {
    return this.activeId === conversationId && document.visibilityState === 'visible';
  }

  open(conversationId) {
    this.activeId = conversationId;
    this.draft = null;
    const conv = this.conversations.get(conversationId);
    this.changed('active');
    if (conv && !conv.loaded && !conv.complete) this.loadMessages(conversationId).catch(() => {});
    this.markActiveRead();
  }

  startDraft(peer, channel) {
    const existing = [...this.conversations.values()].find((c) => c.peer === peer);
    if (existing) {
      this.open(existing.id);
      return;
    }
    this.activeId = null;
    this.draft = { peer, channel };
    this.changed('active');
  }

  close() {
    this.activeId = null;
    this.draft = null;
    this.changed('active');
  }

  markActiveRead() {
    if (this.activeId) this.markReadSoon(this.activeId);
  }

  markReadSoon(conversationId) {
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => this.markRead(conversationId), 50);
  }

  async markRead(conversationId) {
    const conv = this.conversations.get(conversationId);
    if (!conv || !this.isShowing(conversationId)) return;
    const incoming = this.messagesOf(conversationId).filter((m) => m.direction === 'in');
    const newest = incoming[incoming.length - 1];
    if (!newest || (conv.readUpTo === newest.id && !conv.unread)) return;
    try {
      await this.api.post(`/v1/conversations/${encodeURIComponent(conversationId)}/read`, { upTo: newest.id });
      conv.readUpTo = newest.id;
      conv.unread = 0;
      await db.put('conversations', conv);
      this.changed('list');
    } catch (e) {
      // Offline: marked when the stream is back (setOnline calls markActiveRead).
    }
  }

  // ---- typing --------------------------------------------------------------------------------

  onTypingFrame(frame) {
    if (!frame || this.ownDevices.has(frame.deviceId)) return;
    const conv = this.conversations.get(frame.conversationId);
    if (!conv) return;
    this.clearPeerTyping(conv.id, false);
    if (frame.active) {
      this.peerTyping.set(conv.id, setTimeout(() => this.clearPeerTyping(conv.id), PEER_TYPING_TIMEOUT_MS));
    }
    this.changed('typing');
  }

  clearPeerTyping(conversationId, notify = true) {
    const t = this.peerTyping.get(conversationId);
    if (t !== undefined) {
      clearTimeout(t);
      this.peerTyping.delete(conversationId);
      if (notify) this.changed('typing');
    }
  }

  isPeerTyping(conversationId) {
    return this.peerTyping.has(conversationId);
  }

  /** Called on every keystroke in the composer: "typing" at most every few seconds, "stopped" when idle. */
  typing() {
    const id = this.activeId;
    if (!id || !this.online) return;
    const now = Date.now();
    if (now - this.typingSentAt > TYPING_REFRESH_MS || this.typingConversation !== id) {
      this.typingSentAt = now;
      this.typingConversation = id;
      this.api.post(`/v1/conversations/${encodeURIComponent(id)}/typing`, { active: true }).catch(() => {});
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stoppedTyping(), TYPING_IDLE_MS);
  }

  stoppedTyping() {
    clearTimeout(this.typingTimer);
    const id = this.typingConversation;
    if (!id) return;
    this.typingConversation = null;
    this.typingSentAt = 0;
    this.api.post(`/v1/conversations/${encodeURIComponent(id)}/typing`, { active: false }).catch(() => {});
  }

  // ---- sending: everything goes through the outbox -----------------------------------------------

  activePeer() {
    if (this.draft) return this.draft.peer;
    const conv = this.conversations.get(this.activeId);
    return conv ? conv.peer : null;
  }

  /** Queues a message (kept in IndexedDB with its Idempotency-Key) and sends it when online. */
  async send({ text, files = [], peer = this.activePeer() }) {
    if (!peer) return;
    this.stoppedTyping();
    const conv = [...this.conversations.values()].find((c) => c.peer === peer);
    const item = {
      key: randomKey('web'), peer, conversationId: conv ? conv.id : null, text: text || null,
      files: files.map((f) => ({ blob: f, name: f.name || 'file', type: f.type || 'application/octet-stream', size: f.size })),
      createdAt: Date.now() + this.outbox.length / 1000, state: 'pending', uploaded: [],
    };
    this.outbox.push(item);
    await db.put('outbox', item);
    this.changed('messages');
    this.flush();
  }

  pendingFor(peer) {
    return this.outbox.filter((i) => i.peer === peer);
  }

  async discard(key) {
    this.outbox = this.outbox.filter((i) => i.key !== key);
    await db.del('outbox', key);
    this.changed('messages');
  }

  /** Sends queued messages one after the other, in the order they were typed. */
  async flush() {
    if (this.flushing || !this.online) return;
    this.flushing = true;
    try {
      for (;;) {
        const item = this.outbox.find((i) => i.state === 'pending');
        if (!item || !this.online) break;
        item.state = 'sending';
        item.cursorAtSend = this.cursor;
        this.changed('messages');
        let result;
        try {
          result = await this.deliver(item);
        } catch (e) {
          if (isNetworkError(e)) {
            item.state = 'pending';
            await db.put('outbox', item);
            this.changed('messages');
            setTimeout(() => this.flush(), 2000);
            break;
          }
          if (e instanceof ApiError && e.code === 'idempotency_key_reused') {
            // Accepted before the connection dropped; the stream brings it.
            await this.discard(item.key);
            continue;
          }
          item.state = 'failed';
          item.reason = e.message || String(e);
          await db.put('outbox', item);
          this.changed('messages');
          continue;
        }
        this.outbox = this.outbox.filter((i) => i !== item);
        await db.del('outbox', item.key);
        this.accepted(item, result);
      }
    } finally {
      this.flushing = false;
    }
  }

  async deliver(item) {
    const conv = item.conversationId ? this.conversations.get(item.conversationId)
      : [...this.conversations.values()].find((c) => c.peer === item.peer);
    // A conversation the gateway labels sms/rcs goes through the end-to-end layer anyway when this
    // device verified a signed device list of the peer before: it encrypts, or refuses the downgrade.
    const carrier = (conv ? (conv.channel === 'sms' || conv.channel === 'rcs') : (this.draft && this.draft.channel === 'sms'))
      && !(this.e2ee && await this.e2ee.signedBefore(item.peer));
    if (!carrier) {
      // On-net (or not known yet): the end-to-end layer encrypts when both numbers take it, and
      // sends in the clear otherwise, never downgrading a conversation that must be encrypted.
      const attachments = [];
      for (const f of item.files) {
        attachments.push({ bytes: new Uint8Array(await f.blob.arrayBuffer()), contentType: f.type, fileName: f.name });
      }
      if (attachments.length) this.setUploadProgress(0, 1);
      try {
        const sent = await this.e2ee.send(item.peer, { text: item.text, attachments }, item.key,
          { onProgress: (loaded, total) => this.setUploadProgress(loaded, total) });
        const message = sent && sent.message ? sent.message : sent;
        return { ...message, encrypted: sent && sent.encrypted !== undefined ? sent.encrypted : !!(conv && conv.e2ee) };
      } finally {
        this.setUploadProgress(null);
      }
    }
    const parts = [];
    for (let i = 0; i < item.files.length; i++) {
      if (!item.uploaded[i]) {
        const f = item.files[i];
        const up = await this.api.uploadMedia(f.blob, f.type, f.name, (loaded, total) => this.setUploadProgress(loaded, total || f.size));
        item.uploaded[i] = { type: 'media', mediaId: up.mediaId, contentType: up.contentType || f.type, size: up.size ?? f.size, fileName: f.name };
        await db.put('outbox', item);
      }
      parts.push(item.uploaded[i]);
    }
    this.setUploadProgress(null);
    const body = { to: item.peer };
    if (item.text) body.text = item.text;
    if (parts.length) body.parts = parts;
    return this.api.post('/v1/messages', body, { idempotencyKey: item.key });
  }

  setUploadProgress(loaded, total) {
    this.uploadProgress = loaded === null ? null : { loaded, total };
    this.changed('upload');
  }

  /** The gateway took it: shown as sent right away; its sync events fill in the rest. */
  accepted(item, result) {
    if (!result || !result.id) return;
    if (!this.messages.has(result.id)) {
      const parts = [];
      if (item.text) parts.push({ type: 'text', text: item.text });
      for (const u of item.uploaded) if (u) parts.push(u);
      const m = {
        id: result.id, conversationId: result.conversationId, direction: 'out', from: this.session.number, to: item.peer,
        channel: result.channel, status: result.status, text: item.text, parts, suggestions: [], e2ee: !!result.encrypted,
        // Not this browser's clock, which may run ahead of the gateway's and would then keep the
        // conversation above newer ones: the newest gateway time seen, until the real event replaces it.
        createdAt: this.latestGatewayTime(), statusHistory: [], provisional: true,
      };
      if (m.e2ee) this.views.set(m.id, { text: item.text, parts: [], attachments: [], suggestions: [], error: null });
      const seq = result.seq || this.cursor + 0.5;
      this.applyQueue = this.applyQueue.then(async () => {
        if (this.messages.has(m.id)) return; // its event came first
        const writes = { messages: [], conversations: [] };
        this.upsertMessage(m, seq, { created: true, writes });
        await db.write(['messages', 'conversations'], (t) => {
          for (const x of writes.messages) t.put('messages', x);
          for (const c of writes.conversations) t.put('conversations', c);
        });
      }).catch((e) => console.error(e)).then(() => this.changed('messages'));
    } else {
      this.changed('messages');
    }
  }
}
