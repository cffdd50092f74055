// The web inbox: a linked companion device of a number, running in the browser. Boot: load (or create)
// this browser's device keys; without a session show the linking screen, then the inbox.
import { $, show } from './ui/dom.js';
import * as db from './ui/db.js';
import { Api, DeviceKeys, e2eeFor } from './ui/core.js';
import { runLinking } from './ui/link-view.js';
import { Inbox, isNetworkError } from './ui/inbox.js';
import { ConversationList } from './ui/conversation-list.js';
import { Thread } from './ui/thread.js';
import { Composer } from './ui/composer.js';
import { normalizeNumber, numberProblem } from './ui/format.js';

async function main() {
  const keys = await DeviceKeys.loadOrCreate();
  let session = await db.get('kv', 'session');
  if (!session) {
    const linked = await runLinking(new Api(location.origin), keys);
    session = { number: linked.number, deviceId: linked.deviceId, token: linked.token };
    await db.put('kv', session, 'session');
  }
  startInbox(keys, session);
}

function startInbox(keys, session) {
  const api = new Api(location.origin, session.token);
  const e2ee = e2eeFor(api, keys, { number: session.number, deviceId: session.deviceId });
  const inbox = new Inbox({ api, e2ee, session });
  const list = new ConversationList(inbox);
  const thread = new Thread(inbox, { onReply: (s) => inbox.send({ text: s.text }) });
  const composer = new Composer(inbox);
  const view = $('#inbox-view');
  const panes = $('#panes');
  const banner = $('#offline-banner');
  const progress = $('#sync-progress');
  const progressBar = $('#sync-progress progress');
  const progressLabel = $('#sync-progress-label');

  $('#my-number').textContent = session.number;
  view.hidden = false;
  document.title = `Switchboard · ${session.number}`;

  let scheduled = null;
  const pending = new Set();
  inbox.subscribe((what) => {
    pending.add(what);
    if (scheduled) return;
    scheduled = requestAnimationFrame(async () => {
      scheduled = null;
      const whats = new Set(pending);
      pending.clear();
      if (whats.has('online') || whats.has('all')) {
        show(banner, !inbox.online && (inbox.everConnected || inbox.triedOnce));
      }
      if (whats.has('progress') || whats.has('all')) {
        const s = inbox.syncing;
        show(progress, !!s);
        if (s) {
          progressLabel.textContent = s.label;
          if (s.max) {
            progressBar.max = s.max;
            progressBar.value = s.value;
          } else {
            progressBar.removeAttribute('value');
          }
        }
      }
      const active = !!inbox.activePeer();
      panes.classList.toggle('show-thread', active);
      composer.render();
      if (whats.has('typing') && whats.size === 1) {
        thread.renderTyping();
        return;
      }
      if (whats.has('upload') && whats.size === 1) return;
      await list.render();
      await thread.render();
      if (whats.has('active') && active) $('#composer textarea').focus();
    });
  });

  inbox.onUnlinked = () => logOut(inbox, keys, { serverSide: false });
  $('#logout').addEventListener('click', () => logOut(inbox, keys, { serverSide: true }));
  setUpNewConversation(inbox);
  setUpShortcuts(inbox);
  document.addEventListener('visibilitychange', () => inbox.markActiveRead());

  // A first connection attempt that fails shows the banner, too.
  setTimeout(() => {
    inbox.triedOnce = true;
    inbox.changed('online');
  }, 3000);

  const begin = () => inbox.start().catch(async (e) => {
    if (e && e.status === 401) {
      await logOut(inbox, keys, { serverSide: false });
      return;
    }
    console.error(e);
    inbox.triedOnce = true;
    inbox.changed('online');
    if (isNetworkError(e)) {
      // The gateway cannot be reached yet: show what this browser kept and try again.
      inbox.progress('Offline: showing what this browser has kept. Retrying…', 0, 0);
      setTimeout(begin, 5000);
    } else {
      inbox.progress(`Sync failed: ${e.message}`, 0, 0);
    }
  });
  begin();
  window.switchboardInbox = inbox; // for debugging in the console
}

async function logOut(inbox, keys, { serverSide }) {
  const status = $('#logout-status');
  if (serverSide) {
    try {
      await inbox.api.del(`/v1/devices/${encodeURIComponent(inbox.session.deviceId)}`);
    } catch (e) {
      if (isNetworkError(e)) {
        status.textContent = 'You are offline: log out again when the connection is back, so the phone sees this browser unlinked.';
        return;
      }
      // 401/404: already unlinked.
    }
  }
  inbox.stop();
  await db.wipe();
  await DeviceKeys.forget();
  location.reload();
}

function setUpNewConversation(inbox) {
  const dialog = $('#new-conversation-dialog');
  const form = $('#new-conversation-form');
  const input = $('#new-number');
  const error = $('#new-number-error');
  $('#new-conversation').addEventListener('click', () => {
    input.value = '';
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    dialog.showModal();
    input.focus();
  });
  $('#new-conversation-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const number = normalizeNumber(input.value);
    const problem = numberProblem(number) || (number === inbox.session.number ? 'That is your own number.' : null);
    if (problem) {
      error.textContent = problem;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    let channel = null;
    try {
      const how = await inbox.api.post('/v1/messages/preview', { to: number, text: '' });
      channel = how.channel;
    } catch (err) {
      channel = null;
    }
    dialog.close();
    inbox.startDraft(number, channel);
  });
}

function setUpShortcuts(inbox) {
  document.addEventListener('keydown', (e) => {
    const typing = e.target.closest && e.target.closest('input, textarea, [contenteditable]');
    if (e.key === 'Escape' && !$('#new-conversation-dialog').open && inbox.activePeer()) {
      const id = inbox.activeId;
      inbox.close();
      const item = id && document.querySelector(`[data-conversation-id="${CSS.escape(id)}"] button`);
      (item || $('#search')).focus();
    } else if (!typing && e.key === '/') {
      e.preventDefault();
      $('#search').focus();
    } else if (e.altKey && (e.key === 'n' || e.key === 'N')) {
      e.preventDefault();
      $('#new-conversation').click();
    }
  });
}

main().catch((e) => {
  console.error(e);
  const fatal = $('#fatal');
  fatal.textContent = `The web inbox could not start: ${e.message || e}`;
  fatal.hidden = false;
});
