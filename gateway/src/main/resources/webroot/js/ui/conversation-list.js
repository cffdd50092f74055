// The conversation list: peer, last message preview, time, unread count and channel badge, sorted by
// activity, filtered by the search box; arrow keys move between conversations.
import { $, h, icon, reconcile } from './dom.js';
import * as fmt from './format.js';

export function channelBadge(conv) {
  if (conv.e2ee) return h('span', { class: 'badge badge-e2ee', title: 'End-to-end encrypted' }, icon('lock'), ' E2EE');
  if (conv.channel === 'sms') return h('span', { class: 'badge badge-sms', title: 'SMS: not end-to-end encrypted' }, 'SMS');
  if (conv.channel === 'rcs') return h('span', { class: 'badge badge-rcs', title: 'RCS: not end-to-end encrypted' }, 'RCS');
  return h('span', { class: 'badge badge-onnet', title: 'Between numbers served by this gateway' }, 'On-net');
}

export class ConversationList {
  constructor(inbox) {
    this.inbox = inbox;
    this.list = $('#conversation-list');
    this.search = $('#search');
    this.empty = $('#conversation-empty');
    this.renderId = 0;
    this.search.addEventListener('input', () => this.render());
    this.list.addEventListener('keydown', (e) => this.onKey(e));
  }

  matches(conv, view, query) {
    if (!query) return true;
    const q = query.toLowerCase();
    const digits = q.replace(/[^0-9]/g, '');
    if (digits && conv.peer.replace(/[^0-9]/g, '').includes(digits)) return true;
    return conv.peer.toLowerCase().includes(q) || (view && fmt.preview(view).toLowerCase().includes(q));
  }

  async render() {
    const inbox = this.inbox;
    const id = ++this.renderId;
    const convs = inbox.sortedConversations();
    const views = await Promise.all(convs.map(async (c) => {
      const last = c.lastMessageId && inbox.messages.get(c.lastMessageId);
      try {
        return last ? await inbox.view(last) : null;
      } catch (e) {
        return null;
      }
    }));
    if (id !== this.renderId) return; // a newer render (search typing, a new event) started meanwhile
    const query = this.search.value.trim();
    const focusedId = document.activeElement && document.activeElement.closest('[data-conversation-id]')
      ? document.activeElement.closest('[data-conversation-id]').dataset.conversationId : null;
    const items = [];
    convs.forEach((conv, i) => {
      try {
        const item = this.item(conv, views[i], query);
        if (item) items.push(item);
      } catch (e) {
        // One conversation that cannot be drawn must not stop the list.
        console.error('cannot show conversation', conv && conv.id, e);
      }
    });
    reconcile(this.list, items);
    this.empty.hidden = items.length > 0;
    this.empty.textContent = convs.length ? 'No conversation matches the search.' : 'No conversations yet. Start one with “New chat”.';
    if (focusedId) {
      const again = this.list.querySelector(`[data-conversation-id="${CSS.escape(focusedId)}"] button`);
      if (again) again.focus();
    }
  }

  item(conv, view, query) {
    const inbox = this.inbox;
    if (!this.matches(conv, view, query)) return null;
    const last = conv.lastMessageId && inbox.messages.get(conv.lastMessageId);
    const active = conv.id === inbox.activeId;
    const unread = conv.unread || 0;
    const prefix = last && last.direction === 'out' ? 'You: ' : '';
    const button = h('button', {
      type: 'button', class: 'conversation-button', 'aria-current': active ? 'true' : null,
      'aria-label': `${conv.peer}${unread ? `, ${unread} unread` : ''}${view ? ', ' + prefix + fmt.preview(view) : ''}`,
      onclick: () => inbox.open(conv.id),
    },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, conv.peer.slice(-2)),
    h('span', { class: 'conversation-main' },
      h('span', { class: 'conversation-top' },
        h('span', { class: 'peer' }, conv.peer),
        channelBadge(conv),
        h('time', { class: 'when', datetime: conv.updatedAt }, fmt.listTime(last ? last.createdAt : conv.updatedAt))),
      h('span', { class: 'conversation-bottom' },
        h('span', { class: 'preview' }, view ? prefix + fmt.preview(view) : ''),
        h('span', { class: 'unread-count', hidden: unread === 0, 'aria-hidden': 'true' }, String(unread)))));
    return h('li', { class: `conversation${active ? ' active' : ''}${unread ? ' unread' : ''}`, dataset: { key: conv.id, conversationId: conv.id, peer: conv.peer } }, button);
  }

  onKey(e) {
    const buttons = [...this.list.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    let next = null;
    if (e.key === 'ArrowDown') next = buttons[Math.min(i + 1, buttons.length - 1)];
    else if (e.key === 'ArrowUp') next = buttons[Math.max(i - 1, 0)];
    else if (e.key === 'Home') next = buttons[0];
    else if (e.key === 'End') next = buttons[buttons.length - 1];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  }
}
