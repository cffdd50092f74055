// The live sync stream: a WebSocket on /v1/stream authenticated with the subprotocols
// ["switchboard.v1", "bearer.<token>"], resumed from the stored cursor after every drop with a
// growing, jittered delay. Events are handed over one at a time, strictly in seq order; the cursor
// moves (and is acknowledged to the gateway) only once an event has been applied and stored, so a
// drop at any moment replays from the first event not yet kept, and nothing is applied twice.

export const UNLINKED = 4401;

export class LiveStream {
  /**
   * @param {object} opts {token, cursor: () => number, apply: async (event) => void, typing: (frame) => void,
   *                       onState: (connected: boolean) => void, onUnlinked: () => void}
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
    window.addEventListener('online', this.onOnline = () => this.reconnectSoon(0));
    window.addEventListener('offline', this.onOffline = () => this.socket && this.socket.close());
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
      this.attempt = 0;
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
      if (frame.type === 'typing' && frame.seq === undefined) {
        this.opts.typing(frame.data);
        return;
      }
      // Applied in order, one after the other, even when applying waits for decryption or storage.
      this.chain = this.chain.then(async () => {
        if (typeof frame.seq !== 'number' || frame.seq <= this.opts.cursor()) return;
        await this.opts.apply(frame);
        this.scheduleAck();
      }).catch(e => console.error('applying event failed', e));
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
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
