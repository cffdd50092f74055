// The composer: Enter sends, Shift+Enter is a new line; attachments from the picker or dropped on the
// conversation, with upload progress; the live SMS encoding and segment counter; typing notices.
import { $, h } from './dom.js';
import * as fmt from './format.js';
import { describe } from '../core/sms.js';

export class Composer {
  constructor(inbox) {
    this.inbox = inbox;
    this.form = $('#composer');
    this.input = $('#composer textarea');
    this.send = $('#send-button');
    this.attach = $('#attach-input');
    this.files = $('#attachments');
    this.counter = $('#sms-counter');
    this.progress = $('#upload-progress');
    this.dropZone = $('#thread-pane');
    this.selected = [];

    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => {
      this.autosize();
      this.renderCounter();
      if (this.input.value) inbox.typing();
      else inbox.stoppedTyping();
    });
    this.attach.addEventListener('change', () => {
      this.add([...this.attach.files]);
      this.attach.value = '';
    });
    for (const type of ['dragenter', 'dragover']) {
      this.dropZone.addEventListener(type, (e) => {
        if (!inbox.activePeer() || !e.dataTransfer || ![...e.dataTransfer.types].includes('Files')) return;
        e.preventDefault();
        this.dropZone.classList.add('dragging');
      });
    }
    this.dropZone.addEventListener('dragleave', (e) => {
      if (!this.dropZone.contains(e.relatedTarget)) this.dropZone.classList.remove('dragging');
    });
    this.dropZone.addEventListener('drop', (e) => {
      this.dropZone.classList.remove('dragging');
      if (!inbox.activePeer() || !e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      this.add([...e.dataTransfer.files]);
      this.input.focus();
    });
  }

  add(files) {
    this.selected.push(...files);
    this.renderFiles();
  }

  renderFiles() {
    this.files.replaceChildren(...this.selected.map((f, i) => h('li', { class: 'attachment-chip' },
      h('span', {}, `${f.name} (${fmt.size(f.size)})`),
      h('button', {
        type: 'button', class: 'remove', 'aria-label': `Remove ${f.name}`,
        onclick: () => {
          this.selected.splice(i, 1);
          this.renderFiles();
          this.input.focus();
        },
      }, '×'))));
    this.files.hidden = this.selected.length === 0;
  }

  autosize() {
    this.input.style.height = 'auto';
    this.input.style.height = Math.min(this.input.scrollHeight, 160) + 'px';
  }

  /** Whether the open conversation goes by SMS, so segments and encoding matter. */
  isSms() {
    const inbox = this.inbox;
    if (inbox.draft) return inbox.draft.channel === 'sms';
    const conv = inbox.conversations.get(inbox.activeId);
    return !!conv && conv.channel === 'sms';
  }

  renderCounter() {
    const sms = this.isSms();
    this.counter.hidden = !sms;
    this.counter.textContent = sms ? describe(this.input.value) : '';
  }

  render() {
    const enabled = !!this.inbox.activePeer();
    this.form.hidden = !enabled;
    this.renderCounter();
    const p = this.inbox.uploadProgress;
    this.progress.hidden = !p;
    if (p) {
      if (p.total) {
        this.progress.max = p.total;
        this.progress.value = p.loaded;
      } else {
        this.progress.removeAttribute('value');
      }
    }
  }

  async submit() {
    const text = this.input.value.replace(/\s+$/, '');
    const files = this.selected;
    if (!text.trim() && !files.length) return;
    this.input.value = '';
    this.selected = [];
    this.renderFiles();
    this.autosize();
    this.renderCounter();
    await this.inbox.send({ text: text.trim() ? text : null, files });
  }
}
