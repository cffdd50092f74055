// The open conversation: header (peer, channel, encryption state, security code, key change warning),
// the messages with date separators, ticks, media, rich cards and suggestion chips, and the typing
// indicator.
import { $, h, icon, reconcile } from './dom.js';
import * as fmt from './format.js';
import { channelBadge } from './conversation-list.js';
import { isAttachment } from '../core/e2ee.js';
import { mapUrl as coreMapUrl } from './core.js';

const TICKS = { sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };

/** Image types drawn inline; anything else (SVG included) is offered as a download. */
const RASTER = new Set(['image/png', 'image/jpeg', 'image/jpg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

export function isRaster(type) {
  return RASTER.has(String(type || '').split(';')[0].trim().toLowerCase());
}

/** The URL when it is an absolute http(s) URL, else null (javascript:, data:, relative, ...). */
export function safeWebUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function coordinate(value, limit) {
  const n = typeof value === 'number' ? value : (typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN);
  return Number.isFinite(n) && Math.abs(n) <= limit ? n : null;
}

/** An OpenStreetMap link for a position, built from numbers only; null when they are not coordinates. */
export function mapUrl(latitude, longitude) {
  const lat = coordinate(latitude, 90);
  const lon = coordinate(longitude, 180);
  return lat === null || lon === null ? null : coreMapUrl(lat, lon);
}

function text(value) {
  return typeof value === 'string' ? value : (typeof value === 'number' ? String(value) : '');
}

export class Thread {
  constructor(inbox, { onReply, onBack }) {
    this.inbox = inbox;
    this.onReply = onReply;
    this.onBack = onBack || (() => inbox.close());
    this.announcer = $('#thread-announcer');
    this.seen = new Set();
    this.pane = $('#thread-pane');
    this.list = $('#thread');
    this.header = $('#thread-header');
    this.typing = $('#typing-indicator');
    this.placeholder = $('#thread-placeholder');
    this.mediaUrls = new Map();
    this.readyUrls = new Map();
    this.renderId = 0;
  }

  peerLabel() {
    return this.inbox.activePeer();
  }

  async render() {
    const inbox = this.inbox;
    const id = ++this.renderId;
    const peer = inbox.activePeer();
    this.pane.classList.toggle('has-conversation', !!peer);
    this.placeholder.hidden = !!peer;
    if (!peer) {
      this.header.replaceChildren();
      this.list.replaceChildren();
      this.renderTyping();
      return;
    }
    const conv = inbox.conversations.get(inbox.activeId);
    const messages = conv ? inbox.messagesOf(conv.id) : [];
    const views = await Promise.all(messages.map((m) => inbox.view(m)));
    const header = await this.headerFor(conv, peer);
    if (id !== this.renderId) return; // a newer render started meanwhile

    const nearBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    const items = [];
    if (conv && !conv.complete && conv.loaded) {
      items.push(h('li', { class: 'load-older', dataset: { key: 'load-older' } }, h('button', { type: 'button', class: 'link-button', onclick: () => inbox.loadMessages(conv.id) }, 'Load older messages')));
    }
    let lastDay = null;
    const addDay = (iso) => {
      const key = fmt.dayKey(iso);
      if (key !== lastDay) {
        lastDay = key;
        items.push(h('li', { class: 'date-separator', role: 'separator', dataset: { key: 'day-' + key } }, h('span', {}, fmt.dayLabel(iso))));
      }
    };
    messages.forEach((m, i) => {
      // One message that cannot be drawn must not stop the others.
      try {
        addDay(m.createdAt);
        items.push(this.message(m, views[i], conv));
      } catch (e) {
        console.error('cannot show message', m && m.id, e);
        items.push(this.unshowable(m));
      }
    });
    const delivered = this.deliveredSends(peer, messages, views);
    for (const item of inbox.pendingFor(peer)) {
      if (delivered.has(item)) continue;
      try {
        addDay(new Date(item.createdAt).toISOString());
        items.push(this.pending(item));
      } catch (e) {
        console.error('cannot show the outbox item', item && item.key, e);
      }
    }
    const wasOpen = this.header.querySelector('details.security');
    if (wasOpen && wasOpen.open) header.forEach((el) => el.querySelectorAll('details.security').forEach((d) => { d.open = true; }));
    header.forEach((el, i) => { if (!el.dataset.key) el.dataset.key = `h${i}-${el.className}`; });
    reconcile(this.header, header);
    reconcile(this.list, items);
    if (nearBottom || this.lastPeer !== peer) this.list.scrollTop = this.list.scrollHeight;
    this.announce(peer, messages, views);
    this.lastPeer = peer;
    this.renderTyping();
  }

  /**
   * Outbox items being sent whose message the stream already brought (before the POST answered):
   * matched by text, in order, among outgoing messages that arrived after the send began.
   */
  deliveredSends(peer, messages, views) {
    const matched = new Set();
    const used = new Set();
    for (const item of this.inbox.pendingFor(peer)) {
      if (item.state !== 'sending' || typeof item.cursorAtSend !== 'number') continue;
      const i = messages.findIndex((m, j) => !used.has(m.id) && m.direction === 'out' && !m.provisional
        && (m.ord || 0) > item.cursorAtSend && views[j] && (views[j].text || null) === (item.text || null));
      if (i >= 0) {
        used.add(messages[i].id);
        matched.add(item);
      }
    }
    return matched;
  }

  /**
   * New incoming messages of the open conversation are announced (a polite live region of their
   * own); switching conversations, loading older ones and tick changes announce nothing.
   */
  announce(peer, messages, views) {
    if (!this.announcer) return;
    const switched = this.lastPeer !== peer;
    const fresh = [];
    messages.forEach((m, i) => {
      if (!this.seen.has(m.id) && m.direction === 'in' && !switched) fresh.push(views[i]);
    });
    if (switched) this.seen.clear();
    for (const m of messages) this.seen.add(m.id);
    if (fresh.length) {
      const last = fresh[fresh.length - 1];
      const what = last && !last.error ? fmt.preview(last) : 'an encrypted message';
      this.announcer.textContent = fresh.length === 1 ? `New message from ${peer}: ${what}` : `${fresh.length} new messages from ${peer}. Last: ${what}`;
    }
  }

  unshowable(m) {
    const id = m && typeof m.id === 'string' ? m.id : `bad-${Math.random()}`;
    return h('li', { class: `message ${m && m.direction === 'out' ? 'out' : 'in'}`, dataset: { key: id, messageId: id, status: (m && m.status) || '', direction: (m && m.direction) || 'in' } },
      h('div', { class: 'bubble' }, h('p', { class: 'text undecryptable' }, 'This message cannot be shown here.')));
  }

  renderTyping() {
    const id = this.inbox.activeId;
    const typing = !!id && this.inbox.isPeerTyping(id);
    this.typing.hidden = !typing;
    this.typing.textContent = typing ? `${this.inbox.activePeer()} is typing…` : '';
  }

  async headerFor(conv, peer) {
    const inbox = this.inbox;
    const parts = [
      h('button', { type: 'button', class: 'back-button', 'aria-label': 'Back to conversations', onclick: () => this.onBack() }, '←'),
      h('div', { class: 'thread-title' },
        h('h2', { id: 'thread-peer' }, peer),
        conv ? channelBadge(conv) : h('span', { class: 'badge' }, 'New chat')),
    ];
    if (conv && conv.unsubscribed) {
      parts.push(h('p', { class: 'notice warning', role: 'status' }, 'This contact unsubscribed from your RCS messages; sends are refused until they subscribe again.'));
    }
    if (conv && conv.e2ee) {
      let code = null;
      let changed = false;
      try {
        code = await inbox.e2ee.securityCode(peer);
      } catch (e) {
        code = null;
      }
      try {
        changed = !!(await inbox.e2ee.accountKeyChanged(peer));
      } catch (e) {
        changed = false;
      }
      const codeText = code == null ? 'unavailable' : (typeof code === 'string' ? code : (code.text || code.digits || String(code)));
      parts.push(h('div', { class: 'encryption' },
        h('span', { id: 'e2ee-badge', class: 'e2ee-badge' }, icon('lock'), ' End-to-end encrypted'),
        h('details', { class: 'security' },
          h('summary', {}, 'Verify security code'),
          h('p', {}, `Compare this code with the one ${peer} sees. If they match, nobody is in the middle.`),
          h('code', { id: 'security-code' }, codeText))));
      if (changed) {
        parts.push(h('div', { class: 'notice warning key-change', role: 'alert' },
          h('p', {}, `${peer}'s security key changed. This happens when they set up a new phone, or when someone is intercepting. Check the new security code with them before sending anything sensitive.`),
          h('button', {
            type: 'button', class: 'secondary',
            onclick: async () => {
              await inbox.e2ee.acknowledge(peer);
              inbox.views.clear();
              inbox.changed('thread');
            },
          }, 'I checked it: accept the new key')));
      }
    } else {
      const how = conv ? (conv.channel === 'sms' ? 'SMS' : conv.channel === 'rcs' ? 'RCS' : null)
        : (inbox.draft && inbox.draft.channel === 'sms' ? 'SMS' : null);
      parts.push(h('p', { class: 'not-e2ee-notice' }, how ? `Not end-to-end encrypted (${how})` : 'Not end-to-end encrypted'));
    }
    return parts;
  }

  ticks(status, reason) {
    const label = fmt.STATUS_LABELS[status] || status;
    const title = status === 'failed' ? `Failed: ${reason || 'the carrier did not deliver it'}` : label;
    // Read differs from delivered by shape too (a filled badge), not only by colour.
    return h('span', { class: `ticks ticks-${status}`, title, role: 'img', 'aria-label': title }, TICKS[status] || icon('clock'));
  }

  message(m, v, conv) {
    const out = m.direction === 'out';
    const body = [];
    if (v.error) {
      body.push(h('p', { class: 'text undecryptable' }, icon('lock'), ` This message cannot be read on this device (${v.error}).`));
    }
    const parts = Array.isArray(v.parts) ? v.parts.filter((p) => p && typeof p === 'object') : [];
    for (const part of parts) {
      let el = null;
      try {
        el = m.e2ee && isAttachment(part) ? this.attachment(part, m) : this.part(part, m, out);
      } catch (e) {
        console.error('cannot show a part of message', m.id, e);
        el = h('p', { class: 'text undecryptable' }, 'A part of this message cannot be shown.');
      }
      if (el) body.push(el);
    }
    const hasTextPart = parts.some((p) => p.type === 'text');
    if (v.text && !hasTextPart) body.unshift(h('p', { class: 'text' }, text(v.text)));
    if (m.inReplyTo && typeof m.inReplyTo === 'object') body.unshift(h('p', { class: 'in-reply-to' }, `↩ ${text(m.inReplyTo.text)}`));
    const meta = h('div', { class: 'meta' },
      m.e2ee ? h('span', { class: 'lock', title: 'End-to-end encrypted', 'aria-label': 'End-to-end encrypted', role: 'img' }, icon('lock')) : null,
      h('time', { datetime: m.createdAt }, fmt.time(m.createdAt)),
      out ? this.ticks(m.status, m.statusReason) : null);
    const chips = this.chips(v.suggestions, !out);
    return h('li', {
      class: `message ${out ? 'out' : 'in'}${m.status === 'failed' ? ' failed' : ''}`,
      dataset: { key: m.id, messageId: m.id, status: m.status, direction: m.direction },
    }, h('div', { class: 'bubble' }, body, meta), chips);
  }

  pending(item) {
    const body = [];
    if (item.text) body.push(h('p', { class: 'text' }, item.text));
    for (const f of item.files) body.push(h('div', { class: 'file-card' }, h('span', { class: 'file-icon' }, icon('clip')), h('span', { class: 'file-name' }, f.name), h('span', { class: 'file-size' }, fmt.size(f.size))));
    const actions = item.state === 'failed'
      ? h('div', { class: 'pending-actions' },
        h('button', { type: 'button', class: 'link-button', onclick: () => { item.state = 'pending'; this.inbox.flush(); this.inbox.changed('messages'); } }, 'Retry'),
        h('button', { type: 'button', class: 'link-button', onclick: () => this.inbox.discard(item.key) }, 'Delete'))
      : null;
    return h('li', { class: `message out pending${item.state === 'failed' ? ' failed' : ''}`, dataset: { key: `pending:${item.key}`, messageId: `pending:${item.key}`, status: item.state, direction: 'out' } },
      h('div', { class: 'bubble' }, body, h('div', { class: 'meta' }, h('time', {}, fmt.time(new Date(item.createdAt).toISOString())), this.ticks(item.state, item.reason))), actions);
  }

  part(part, m, out) {
    switch (part.type) {
      case 'text':
        return h('p', { class: 'text' }, text(part.text));
      case 'media':
        return this.media(part, m);
      case 'attachment':
        return this.attachment(part, m);
      case 'richCard':
        return this.card(part, m, out);
      case 'carousel': {
        const cards = Array.isArray(part.cards) ? part.cards.filter((c) => c && typeof c === 'object') : [];
        if (!cards.length) return null;
        return h('div', { class: 'carousel', role: 'group', 'aria-label': `${cards.length} cards` }, cards.map((c) => this.card(c, m, out)));
      }
      case 'location': {
        const url = mapUrl(part.latitude, part.longitude);
        const label = `Location: ${text(part.label) || (url ? `${part.latitude}, ${part.longitude}` : 'shared')}`;
        return h('p', { class: 'location' }, url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label) : label);
      }
      default:
        return null;
    }
  }

  card(card, m, out) {
    const media = card.media && typeof card.media === 'object' && typeof card.media.mediaId === 'string' ? card.media : null;
    return h('article', { class: 'rich-card' },
      media ? this.media({ mediaId: media.mediaId, contentType: media.contentType || 'image/*', fileName: text(card.title) || 'Card image', card: true }, m) : null,
      card.title ? h('h3', {}, text(card.title)) : null,
      card.description ? h('p', {}, text(card.description)) : null,
      this.chips(card.suggestions, !out));
  }

  chips(suggestions, canReply) {
    const list = Array.isArray(suggestions) ? suggestions.filter((s) => s && typeof s === 'object') : [];
    if (!list.length) return null;
    const inert = (s) => h('span', { class: 'chip chip-disabled', title: 'Open this on your phone' }, text(s.text));
    return h('div', { class: 'chips', role: 'group', 'aria-label': 'Suggested replies and actions' }, list.map((s) => {
      switch (s.type) {
        case 'reply':
          return h('button', { type: 'button', class: 'chip', disabled: !canReply, onclick: () => this.onReply(s) }, text(s.text));
        case 'openUrl': {
          const url = safeWebUrl(s.url);
          return url ? h('a', { class: 'chip', href: url, target: '_blank', rel: 'noopener noreferrer' }, text(s.text)) : inert(s);
        }
        case 'dial': {
          const number = typeof s.phoneNumber === 'string' && /^\+?[0-9]{3,20}$/.test(s.phoneNumber) ? s.phoneNumber : null;
          return number ? h('a', { class: 'chip', href: `tel:${number}` }, text(s.text)) : inert(s);
        }
        case 'showLocation': {
          const url = mapUrl(s.latitude, s.longitude);
          return url ? h('a', { class: 'chip', href: url, target: '_blank', rel: 'noopener noreferrer' }, text(s.text)) : inert(s);
        }
        default:
          return inert(s);
      }
    }));
  }

  /** A plaintext media part: images inline, other files as a download card. */
  media(part, m) {
    const type = typeof part.contentType === 'string' ? part.contentType : '';
    const name = text(part.fileName) || (type.startsWith('image/') ? 'Photo' : 'File');
    if (typeof part.mediaId !== 'string') return null;
    // A card image of unstated type is drawn from bytes typed as nothing, so only raster formats show.
    if (isRaster(type) || (part.card && type === 'image/*')) {
      return this.image(part.mediaId, name, () => this.inbox.api.downloadMedia(part.mediaId), isRaster(type) ? type : '');
    }
    return this.fileCard(name, part.size, type, () => this.inbox.api.downloadMedia(part.mediaId));
  }

  /** An end-to-end attachment: fetched and decrypted in the page. */
  attachment(a, m) {
    const type = typeof a.contentType === 'string' && a.contentType ? a.contentType : 'application/octet-stream';
    const name = text(a.fileName) || 'File';
    const load = () => this.inbox.e2ee.attachment(a);
    if (isRaster(type)) {
      return this.image(a.mediaId || `${m.id}:${name}`, name, load, type);
    }
    return this.fileCard(name, a.size, type, load);
  }

  fileCard(name, size, type, load) {
    return h('div', { class: 'file-card' },
      h('span', { class: 'file-icon' }, icon('file')),
      h('span', { class: 'file-info' }, h('span', { class: 'file-name' }, name), h('span', { class: 'file-size' }, fmt.size(size))),
      h('button', {
        type: 'button', class: 'secondary download', 'aria-label': `Download ${name}`,
        onclick: async (e) => {
          const button = e.currentTarget;
          button.disabled = true;
          try {
            const bytes = await load();
            // Downloaded, never opened in the page: typed as plain bytes.
            const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
            const a = h('a', { href: url, download: name, hidden: true });
            document.body.append(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 60_000);
          } finally {
            button.disabled = false;
          }
        },
      }, 'Download'));
  }

  fetchUrl(key, load, type) {
    if (!this.mediaUrls.has(key)) {
      this.mediaUrls.set(key, load().then((bytes) => {
        // Always re-typed with the checked raster type: a Blob from the network keeps its own type otherwise.
        const url = URL.createObjectURL(new Blob([bytes], { type }));
        this.readyUrls.set(key, url);
        return url;
      }));
    }
    return this.mediaUrls.get(key);
  }

  /** An image whose bytes are fetched (and decrypted) once; later renders get the same URL at once. */
  image(key, name, load, type) {
    const ready = this.readyUrls.get(key);
    const img = h('img', { class: 'media-image', alt: name, src: ready || null });
    if (!ready) this.fetchUrl(key, load, type).then((url) => { img.src = url; }, () => { img.alt = `${name} (could not be loaded)`; });
    return h('figure', { class: 'media' }, img);
  }
}
