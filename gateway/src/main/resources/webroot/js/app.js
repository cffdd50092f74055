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
  document.body.dataset.sync = 'syncing';
  const api = new Api(location.origin, session.token);
  const e2ee = e2eeFor(api, keys, { number: session.number, deviceId: session.deviceId });
  const inbox = new Inbox({ api, e2ee, session });
  const list = new ConversationList(inbox);
  const thread = new Thread(inbox, { onReply: (s) => inbox.send({ text: s.text }), onBack: () => backToList(inbox) });
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

  // Renders run one at a time: changes that come in while one runs are drawn by the next, so an
  // older render never finishes after a newer one. A render that fails is logged; the next one runs.
  const pending = new Set();
  let scheduled = false;
  let running = false;
  const schedule = () => {
    if (scheduled || running) return;
    scheduled = true;
    requestAnimationFrame(run);
  };
  const step = async (what, fn) => {
    try {
      await fn();
    } catch (e) {
      console.error(`rendering the ${what} failed`, e);
    }
  };
  const markSync = () => {
    document.body.dataset.sync = inbox.isSynced() ? 'synced' : 'syncing';
  };
  async function run() {
    scheduled = false;
    running = true;
    const whats = new Set(pending);
    pending.clear();
    try {
      await renderOnce(whats);
    } finally {
      running = false;
      markSync();
      if (pending.size) schedule();
    }
  }
  async function renderOnce(whats) {
    if (whats.has('online') || whats.has('all')) {
      show(banner, !inbox.online && (inbox.everConnected || inbox.connectionFailed));
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
    await step('composer', () => composer.render());
    if (whats.has('typing') && whats.size === 1) {
      await step('typing indicator', () => thread.renderTyping());
      return;
    }
    if (whats.has('upload') && whats.size === 1) return;
    await step('conversation list', () => list.render());
    await step('thread', () => thread.render());
    if (whats.has('active') && active) $('#composer textarea').focus();
  }
  inbox.subscribe((what) => {
    pending.add(what);
    schedule();
  });

  inbox.onUnlinked = () => logOut(inbox, keys, { serverSide: false });
  $('#logout').addEventListener('click', () => logOut(inbox, keys, { serverSide: true }));
  setUpNewConversation(inbox);
  setUpShortcuts(inbox);
  document.addEventListener('visibilitychange', () => inbox.markActiveRead());

  const begin = () => inbox.start().catch(async (e) => {
    if (e && e.status === 401) {
      await logOut(inbox, keys, { serverSide: false });
      return;
    }
    console.error(e);
    if (isNetworkError(e)) {
      // The gateway cannot be reached: show what this browser kept and try again.
      inbox.setConnectionFailed();
      inbox.progress('Offline: showing what this browser has kept. Retrying…', 0, 0);
      setTimeout(begin, 5000);
    } else {
      inbox.progress(`Sync failed: ${e.message}`, 0, 0);
    }
  });
  begin();
}

/** Back from a conversation to the list, with the focus on that conversation (Escape and the back button). */
function backToList(inbox) {
  const id = inbox.activeId;
  inbox.close();
  // On narrow screens the list is hidden while a conversation shows: show it now, so it can take the focus.
  $('#panes').classList.remove('show-thread');
  const item = id && document.querySelector(`[data-conversation-id="${CSS.escape(id)}"] button`);
  (item || $('#search')).focus();
}

async function logOut(inbox, keys, { serverSide }) {
  const status = $('#logout-status');
  if (serverSide) {
    const waiting = inbox.outbox.length;
    if (waiting && !logOut.warned) {
      // The first click only warns: what is still in the outbox would be lost with the keys.
      logOut.warned = true;
      status.textContent = `${waiting === 1 ? '1 message has' : `${waiting} messages have`} not been sent yet and will be lost. Press Log out again to log out anyway.`;
      return;
    }
    status.textContent = 'Logging out…';
    try {
      await inbox.api.del(`/v1/devices/${encodeURIComponent(inbox.session.deviceId)}`);
    } catch (e) {
      if (isNetworkError(e)) {
        status.textContent = 'You are offline: log out again when the connection is back, so the phone sees this browser unlinked.';
        return;
      }
      // Only 401 (token no longer valid) and 404 (device gone) mean the browser is already unlinked;
      // any other refusal keeps it linked, so it must not forget its keys.
      if (!(e && (e.status === 401 || e.status === 404))) {
        status.textContent = `Log out failed: ${e && e.message ? e.message : e}. This browser is still linked; try again.`;
        return;
      }
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
      backToList(inbox);
    } else if (!typing && e.key === '/') {
      e.preventDefault();
      $('#search').focus();
    } else if (e.altKey && e.code === 'KeyN') {
      // e.code: Alt+N types a character (ñ, ˜, …) on many layouts, so e.key is not "n" there.
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
