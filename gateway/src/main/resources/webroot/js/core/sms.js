// GSM 03.38 detection and SMS segment counting, mirroring the gateway's Segmenter (carrier-adapters):
// GSM-7 when every character is in the default alphabet or its extension table (extension characters
// take two septets), else UCS-2 counted in UTF-16 units. One SMS holds 160 septets / 70 units; a
// concatenated one 153 / 67, cut greedily on whole characters (an escape pair or a surrogate pair is
// never split), so the count here is what the carrier bills.

const DEFAULT = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ'
  + ' !"#¤%&\'()*+,-./0123456789:;<=>?'
  + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§'
  + '¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set([...DEFAULT].filter(c => c !== '\u001b'));
const EXTENDED = new Set([...EXTENSION]);

export const GSM7 = 'gsm7';
export const UCS2 = 'ucs-2';
export const MAX_SEGMENTS = 255;

/** Whether every character of the text has a GSM 7-bit encoding. */
export function isGsm7(text) {
  for (const c of text) {
    if (!BASIC.has(c) && !EXTENDED.has(c)) return false;
  }
  return true;
}

/** The encoding a text goes out in: 'gsm7' or 'ucs-2'. */
export function encodingFor(text) {
  return isGsm7(text) ? GSM7 : UCS2;
}

function unitsOf(ch, encoding) {
  if (encoding === GSM7) return EXTENDED.has(ch) ? 2 : 1;
  return ch.length; // UTF-16 code units: 2 for a character outside the BMP
}

/**
 * {encoding, units, segments, sendable} for a text, as POST /v1/messages/preview answers it.
 * An empty text is one (empty) SMS.
 */
export function smsInfo(text) {
  const encoding = encodingFor(text);
  const chars = [...text];
  let units = 0;
  for (const c of chars) units += unitsOf(c, encoding);
  const single = encoding === GSM7 ? 160 : 70;
  let segments = 1;
  if (units > single) {
    const limit = encoding === GSM7 ? 153 : 67;
    segments = 0;
    let used = limit; // forces a first segment
    for (const c of chars) {
      const u = unitsOf(c, encoding);
      if (used + u > limit) {
        segments++;
        used = 0;
      }
      used += u;
    }
  }
  return { encoding, units, segments, sendable: segments <= MAX_SEGMENTS };
}

/** "2 SMS, UCS-2 (80/134)": what the composer shows under an SMS conversation. */
export function describe(text) {
  const info = smsInfo(text);
  const name = info.encoding === GSM7 ? 'GSM-7' : 'UCS-2';
  const per = info.segments === 1 ? (info.encoding === GSM7 ? 160 : 70) : (info.encoding === GSM7 ? 153 : 67) * info.segments;
  return `${info.segments} SMS, ${name} (${info.units}/${per})`;
}
