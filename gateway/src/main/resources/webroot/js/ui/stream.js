// The live sync stream: a WebSocket on /v1/stream authenticated with the subprotocols
// ["switchboard.v1", "bearer.<token>"], resumed from the stored cursor after every drop with a
// growing, jittered delay. Events are handed over one at a time, strictly in seq order; the cursor
// moves (and is acknowledged to the gateway) only once an event has been applied and stored, so a
// drop at any moment replays from the first event not yet kept, and nothing is applied twice.
// An event that cannot be applied stops the chain: the socket is dropped and the stream resumes
// from the cursor (which still stands before that event), so no event is ever skipped. The gateway
// sends a {"type":"heartbeat"} frame when it has been idle for 20 s; a socket silent for longer than
// IDLE_TIMEOUT_MS is taken for dead (a half-open TCP connection never fires onclose) and replaced.

export const UNLINKED = 4401;
export const IDLE_TIMEOUT_MS = 45_000;
const WATCHDOG_MS = 5_000;

export class LiveStream {
  /**
   * @param {object} opts {token, cursor: () => number, apply: async (event) => void, typing: (frame) => void,
   *                       onState: (connected: boolean) => void, onFailed: () => void (an attempt that never
   *                       opened), onUnlinked: () => void}
   */
  constructor(opts) {
    this.opts = opts;
    this.socket = null;
    this.attempt = 0;
    this.stopped = false;
    this.connected = false;
    this.chain = Promise.resolve();
    this.timer = null;
    this.ackTimer = null;
    this.watchdog = null;
    this.lastFrame = 0;
  }

  start() {
    this.stopped = false;
    this.connect();
    clearInterval(this.watchdog);
    this.watchdog = setInterval(() => this.checkIdle(), WATCHDOG_MS);
    window.addEventListener('online', this.onOnline = () => this.reconnectSoon(0));
    window.addEventListener('offline', this.onOffline = () => this.socket && this.drop(this.socket, 4000, 'offline'));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.watchdog);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    if (this.socket) this.socket.close(1000, 'bye');
    this.setConnected(false);
  }

  setConnected(value) {
    if (this.connected !== value) {
      this.connected = value;
      this.opts.onState(value);
    }
  }

  /** Closes a socket that has been silent too long; the reconnect resumes from the cursor. */
  checkIdle() {
    const socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN && Date.now() - this.lastFrame > IDLE_TIMEOUT_MS) {
      console.warn('the stream has been silent for', Date.now() - this.lastFrame, 'ms: reconnecting');
      this.drop(socket, 4000, 'idle');
    }
  }

  /**
   * Forgets `socket` at once (without waiting for a closing handshake a dead connection never
   * completes), closes it, and reconnects from the cursor.
   */
  drop(socket, code = 4000, reason = 'resume') {
    if (this.socket !== socket) return;
    this.socket = null;
    try {
      socket.close(code, reason);
    } catch {
      // already closed
    }
    this.setConnected(false);
    this.reconnectSoon();
  }

  connect() {
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const since = this.opts.cursor();
    let socket;
    try {
      socket = new WebSocket(`${scheme}//${location.host}/v1/stream?since=${since}`,
        ['switchboard.v1', 'bearer.' + this.opts.token]);
    } catch (e) {
      this.reconnectSoon();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      // After an event failed to apply, the backoff keeps growing until one applies again.
      if (!this.applyFailed) this.attempt = 0;
      this.lastFrame = Date.now();
      this.setConnected(true);
    };
    socket.onmessage = (msg) => {
      if (this.socket !== socket) return;
      this.lastFrame = Date.now();
      let frame;
      try {
        frame = JSON.parse(msg.data);
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object') return;
      if (frame.seq === undefined || frame.seq === null) {
        // Ephemeral frames: typing notices; heartbeats (and any unknown type) only prove the line is alive.
        if (frame.type === 'typing') this.opts.typing(frame.data);
        return;
      }
      // Applied in order, one after the other, even when applying waits for decryption or storage.
      // Once one fails, the rest of this socket's events are skipped and the socket is replaced:
      // the next one replays from the event that failed.
      this.chain = this.chain.then(async () => {
        if (this.socket !== socket) return;
        if (typeof frame.seq !== 'number' || frame.seq <= this.opts.cursor()) return;
        await this.opts.apply(frame);
        this.applyFailed = false;
        this.scheduleAck();
      }).catch((e) => {
        console.error('applying event', frame.seq, 'failed; resuming from the cursor', e);
        this.applyFailed = true;
        this.drop(socket, 4000, 'apply failed');
      });
    };
    let opened = false;
    socket.addEventListener('open', () => { opened = true; });
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      if (!opened && this.opts.onFailed) this.opts.onFailed();
      this.socket = null;
      this.setConnected(false);
      if (ev.code === UNLINKED) {
        this.stopped = true;
        this.opts.onUnlinked();
        return;
      }
      this.reconnectSoon();
    };
    socket.onerror = () => { /* onclose follows */ };
  }

  reconnectSoon(delay) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const wait = delay ?? Math.min(5000, 250 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt = Math.min(this.attempt + 1, 6);
    this.timer = setTimeout(() => {
      if (!this.socket) this.connect();
    }, wait);
  }

  scheduleAck() {
    if (this.ackTimer) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      if (this.socket && this.socket.readyState === WebSocket.OPEN) {
        this.socket.send(JSON.stringify({ ack: this.opts.cursor() }));
      }
    }, 300);
  }

  /** Waits until every event received so far has been applied. */
  settled() {
    return this.chain;
  }
}
