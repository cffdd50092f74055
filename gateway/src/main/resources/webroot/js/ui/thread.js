// The open conversation: header (peer, channel, encryption state, security code, key change warning),
// the messages with date separators, ticks, media, rich cards and suggestion chips, and the typing
// indicator.
import { $, h, icon, reconcile } from './dom.js';
import * as fmt from './format.js';
import { channelBadge } from './conversation-list.js';
import { isAttachment } from '../core/e2ee.js';

const TICKS = { sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };

export class Thread {
  constructor(inbox, { onReply }) {
    this.inbox = inbox;
    this.onReply = onReply;
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
      addDay(m.createdAt);
      items.push(this.message(m, views[i], conv));
    });
    for (const item of inbox.pendingFor(peer)) {
      addDay(new Date(item.createdAt).toISOString());
      items.push(this.pending(item));
    }
    const wasOpen = this.header.querySelector('details.security');
    if (wasOpen && wasOpen.open) header.forEach((el) => el.querySelectorAll('details.security').forEach((d) => { d.open = true; }));
    header.forEach((el, i) => { if (!el.dataset.key) el.dataset.key = `h${i}-${el.className}`; });
    reconcile(this.header, header);
    reconcile(this.list, items);
    if (nearBottom || this.lastPeer !== peer) this.list.scrollTop = this.list.scrollHeight;
    this.lastPeer = peer;
    this.renderTyping();
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
      h('button', { type: 'button', class: 'back-button', 'aria-label': 'Back to conversations', onclick: () => inbox.close() }, '←'),
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
    return h('span', { class: `ticks ticks-${status}`, title, role: 'img', 'aria-label': title }, TICKS[status] || icon('clock'));
  }

  message(m, v, conv) {
    const out = m.direction === 'out';
    const body = [];
    if (v.error) {
      body.push(h('p', { class: 'text undecryptable' }, icon('lock'), ` This message cannot be read on this device (${v.error}).`));
    }
    for (const part of v.parts || []) {
      const el = m.e2ee && isAttachment(part) ? this.attachment(part, m) : this.part(part, m, out);
      if (el) body.push(el);
    }
    const hasTextPart = (v.parts || []).some((p) => p.type === 'text');
    if (v.text && !hasTextPart) body.unshift(h('p', { class: 'text' }, v.text));
    if (m.inReplyTo) body.unshift(h('p', { class: 'in-reply-to' }, `↩ ${m.inReplyTo.text}`));
    const meta = h('div', { class: 'meta' },
      m.e2ee ? h('span', { class: 'lock', title: 'End-to-end encrypted', 'aria-label': 'End-to-end encrypted', role: 'img' }, icon('lock')) : null,
      h('time', { datetime: m.createdAt }, fmt.time(m.createdAt)),
      out ? this.ticks(m.status, m.statusReason) : null);
    const chips = this.chips(v.suggestions || [], !out);
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
        return h('p', { class: 'text' }, part.text);
      case 'media':
        return this.media(part, m);
      case 'attachment':
        return this.attachment(part, m);
      case 'richCard':
        return this.card(part, m, out);
      case 'carousel':
        return h('div', { class: 'carousel', role: 'group', 'aria-label': `${part.cards.length} cards` }, part.cards.map((c) => this.card(c, m, out)));
      case 'location': {
        const url = `https://www.openstreetmap.org/?mlat=${part.latitude}&mlon=${part.longitude}#map=16/${part.latitude}/${part.longitude}`;
        return h('p', { class: 'location' }, h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, `Location: ${part.label || `${part.latitude}, ${part.longitude}`}`));
      }
      default:
        return null;
    }
  }

  card(card, m, out) {
    return h('article', { class: 'rich-card' },
      card.media ? this.media({ mediaId: card.media.mediaId, contentType: 'image/*', fileName: card.title || 'Card image' }, m) : null,
      card.title ? h('h3', {}, card.title) : null,
      card.description ? h('p', {}, card.description) : null,
      this.chips(card.suggestions || [], !out));
  }

  chips(suggestions, canReply) {
    if (!suggestions.length) return null;
    return h('div', { class: 'chips', role: 'group', 'aria-label': 'Suggested replies and actions' }, suggestions.map((s) => {
      switch (s.type) {
        case 'reply':
          return h('button', { type: 'button', class: 'chip', disabled: !canReply, onclick: () => this.onReply(s) }, s.text);
        case 'openUrl':
          return h('a', { class: 'chip', href: s.url, target: '_blank', rel: 'noopener noreferrer' }, s.text);
        case 'dial':
          return h('a', { class: 'chip', href: `tel:${s.phoneNumber}` }, s.text);
        case 'showLocation':
          return h('a', { class: 'chip', href: `https://www.openstreetmap.org/?mlat=${s.latitude}&mlon=${s.longitude}`, target: '_blank', rel: 'noopener noreferrer' }, s.text);
        default:
          return h('span', { class: 'chip chip-disabled', title: 'Open this on your phone' }, s.text);
      }
    }));
  }

  /** A plaintext media part: images inline, other files as a download card. */
  media(part, m) {
    const type = part.contentType || '';
    const name = part.fileName || (type.startsWith('image/') ? 'Photo' : 'File');
    if (type.startsWith('image/')) {
      return this.image(part.mediaId, name, () => this.inbox.api.downloadMedia(part.mediaId), type);
    }
    return this.fileCard(name, part.size, type, () => this.inbox.api.downloadMedia(part.mediaId));
  }

  /** An end-to-end attachment: fetched and decrypted in the page. */
  attachment(a, m) {
    const type = a.contentType || 'application/octet-stream';
    const name = a.fileName || 'File';
    const load = () => this.inbox.e2ee.attachment(a);
    if (type.startsWith('image/')) {
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
            const url = URL.createObjectURL(new Blob([bytes], { type }));
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
        const url = URL.createObjectURL(bytes instanceof Blob ? bytes : new Blob([bytes], { type }));
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
