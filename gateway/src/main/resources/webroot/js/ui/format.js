// Formatting of times, dates, sizes and message previews for the page.

export const E164 = /^\+[0-9]{8,15}$/;

/** Removes spaces, dashes, dots and brackets people type; "00" becomes "+". */
export function normalizeNumber(input) {
  let n = String(input || '').trim().replace(/[\s\-().]/g, '');
  if (n.startsWith('00')) n = '+' + n.slice(2);
  return n;
}

/** null when valid, else a sentence saying what is wrong. */
export function numberProblem(number) {
  if (!number) return 'Enter a phone number.';
  if (!number.startsWith('+')) return 'Start with + and the country code, for example +44 7700 900123.';
  if (!E164.test(number)) return 'A phone number is + followed by 8 to 15 digits.';
  return null;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

export function time(iso) {
  return iso ? timeFormat.format(new Date(iso)) : '';
}

export function dayKey(iso) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "Today", "Yesterday" or the full date, for date separators. */
export function dayLabel(iso, now = new Date()) {
  const d = new Date(iso);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKey(d) === dayKey(now)) return 'Today';
  if (dayKey(d) === dayKey(yesterday)) return 'Yesterday';
  return dateFormat.format(d);
}

/** The time for today's messages, the date for older ones (conversation list). */
export function listTime(iso, now = new Date()) {
  if (!iso) return '';
  return dayKey(iso) === dayKey(now) ? time(iso) : shortDate.format(new Date(iso));
}

export function size(bytes) {
  if (bytes == null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const STATUS_LABELS = {
  pending: 'Waiting for the connection',
  sending: 'Sending',
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Failed',
};

/** One line describing a message for the conversation list. */
export function preview(view) {
  if (!view) return '';
  if (view.error) return 'Encrypted message';
  const str = (v) => (typeof v === 'string' ? v : '');
  if (typeof view.text === 'string' && view.text) return view.text;
  for (const part of Array.isArray(view.parts) ? view.parts : []) {
    if (!part || typeof part !== 'object') continue;
    if (part.type === 'richCard') return str(part.title) || str(part.description) || 'Card';
    if (part.type === 'carousel') return Array.isArray(part.cards) ? `${part.cards.length} cards` : 'Cards';
    if (part.type === 'location') return `Location: ${str(part.label) || 'shared'}`;
    if (part.type === 'media' || part.type === 'attachment') {
      return str(part.contentType).startsWith('image/') ? 'Photo' : `File: ${str(part.fileName) || 'attachment'}`;
    }
  }
  const attachments = Array.isArray(view.attachments) ? view.attachments : [];
  if (attachments.length && attachments[0]) return `File: ${str(attachments[0].fileName) || 'attachment'}`;
  return '';
}
