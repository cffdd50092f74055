/**
 * Writing and strictly reading the binary layouts of Switchboard's signed statements, byte for
 * byte as the Java `dev.switchboard.crypto.Wire`: an ASCII tag, `u32` big-endian lengths, `u64`
 * big-endian values that are never negative (at most 2^63 - 1), strict UTF-8. A reader refuses a
 * wrong tag, a length running past the end, malformed UTF-8, an out-of-range `u64` and trailing
 * bytes, each as an Error.
 * @module core/wire
 */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});
const U64_MAX = (1n << 63n) - 1n;

/**
 * Strict UTF-8: a string with an unpaired surrogate is refused rather than written as U+FFFD,
 * which two different strings could share.
 * @param {string} value
 * @param {string} what named in the error
 * @returns {Uint8Array}
 */
export function utf8(value, what = 'text') {
  if (typeof value !== 'string') {
    throw new Error(what + ' is missing');
  }
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    throw new Error(what + ' is not well-formed Unicode');
  }
  return encoder.encode(value);
}

/** The ASCII bytes of a tag. */
export function ascii(text) {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) {
      throw new Error('not ASCII: ' + text);
    }
    out[i] = c;
  }
  return out;
}

/** Unsigned lexicographic comparison of two byte arrays (Java `Arrays.compareUnsigned`). */
export function compareUnsigned(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return a.length - b.length;
}

function toBigU64(value, what) {
  let big;
  if (typeof value === 'bigint') {
    big = value;
  } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
    big = BigInt(value);
  } else {
    throw new Error(what + ' is not an integer: ' + value);
  }
  if (big < 0n || big > U64_MAX) {
    throw new Error(what + ' must be 0 to 2^63 - 1, got ' + value);
  }
  return big;
}

/** Builds one statement: the tag, then fields in order. */
export class Writer {
  /** @param {string} tag the statement's ASCII tag ('' for none) */
  constructor(tag) {
    this.parts = [ascii(tag)];
  }

  /** `u32(length) || value` @param {Uint8Array} value */
  bytes(value) {
    if (!(value instanceof Uint8Array)) {
      throw new Error('bytes field is missing');
    }
    this.u32(value.length);
    this.parts.push(value);
    return this;
  }

  /** `bytes(UTF-8 of value)`, strict. */
  str(value, what = 'text') {
    return this.bytes(utf8(value, what));
  }

  /** 4 bytes big-endian, unsigned. */
  u32(value) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new Error('u32 out of range: ' + value);
    }
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value);
    this.parts.push(b);
    return this;
  }

  /** 8 bytes big-endian, 0 to 2^63 - 1 (a safe integer Number or a BigInt). */
  u64(value, what = 'u64') {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, toBigU64(value, what));
    this.parts.push(b);
    return this;
  }

  /** The bytes as they are, no length. */
  raw(value) {
    this.parts.push(value);
    return this;
  }

  /** @returns {Uint8Array} */
  toBytes() {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/** Reads one statement strictly. */
export class Reader {
  /** @param {Uint8Array} input @param {string} what named in errors */
  constructor(input, what) {
    if (!(input instanceof Uint8Array)) {
      throw new Error(what + ' is missing');
    }
    this.input = input;
    this.what = what;
    this.pos = 0;
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  /** Requires the statement to start with `tag`. */
  tag(tag) {
    const expected = ascii(tag);
    if (this.input.length < expected.length) {
      throw this.malformed('too short for tag ' + tag);
    }
    for (let i = 0; i < expected.length; i++) {
      if (this.input[i] !== expected[i]) {
        throw this.malformed('does not start with tag ' + tag);
      }
    }
    this.pos = expected.length;
    return this;
  }

  u32() {
    this.need(4, 'u32');
    const value = this.view.getUint32(this.pos);
    this.pos += 4;
    return value;
  }

  /** A Number when it is a safe integer, else a BigInt; refuses values above 2^63 - 1. */
  u64(field) {
    this.need(8, field);
    const value = this.view.getBigUint64(this.pos);
    this.pos += 8;
    if (value > U64_MAX) {
      throw this.malformed(field + ' is out of range (above 2^63 - 1)');
    }
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  bytes(field) {
    const length = this.u32();
    if (length > this.input.length - this.pos) {
      throw this.malformed(field + ' claims ' + length + ' bytes, only ' + (this.input.length - this.pos) + ' left');
    }
    const out = this.input.slice(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  str(field) {
    const bytes = this.bytes(field);
    try {
      return strictDecoder.decode(bytes);
    } catch (e) {
      throw this.malformed(field + ' is not well-formed UTF-8');
    }
  }

  rest() {
    const out = this.input.slice(this.pos);
    this.pos = this.input.length;
    return out;
  }

  remaining() {
    return this.input.length - this.pos;
  }

  end() {
    if (this.pos !== this.input.length) {
      throw this.malformed('has ' + (this.input.length - this.pos) + ' trailing bytes');
    }
  }

  need(count, field) {
    if (this.input.length - this.pos < count) {
      throw this.malformed('is truncated in ' + field);
    }
  }

  malformed(detail) {
    return new Error(this.what + ' is malformed: ' + detail);
  }
}
