/**
 * The cleartext header of an end-to-end encrypted message, byte for byte as the Java
 * `MessageHeader`:
 * `"sb.hdr.v1" || u32(1) || str(messageId) || str(fromNumber) || str(fromDeviceId) || str(toNumber)
 *  || u64(sentAt) || u64(fromListVersion) || u64(toListVersion)`.
 * @module core/header
 */

import {Writer, Reader, utf8} from './wire.js';

export const TAG = 'sb.hdr.v1';
export const VERSION = 1;

/**
 * @typedef {Object} MessageHeader
 * @property {number} [version] 1 (the default)
 * @property {string} messageId
 * @property {string} fromNumber
 * @property {string} fromDeviceId
 * @property {string} toNumber
 * @property {number|bigint} sentAt epoch milliseconds of the sender's clock
 * @property {number|bigint} fromListVersion
 * @property {number|bigint} toListVersion
 */

function check(h) {
  if ((h.version ?? VERSION) !== VERSION) {
    throw new Error('unsupported message header version ' + h.version + ', expected ' + VERSION);
  }
  for (const [field, what] of [['messageId', 'message id'], ['fromNumber', 'sender number'],
    ['fromDeviceId', 'sender device id'], ['toNumber', 'recipient number']]) {
    if (typeof h[field] !== 'string' || h[field].length === 0) {
      throw new Error('message header ' + what + ' is missing');
    }
    utf8(h[field], 'message header ' + what);
  }
}

/**
 * The fixed binary layout of `header`.
 * @param {MessageHeader} header
 * @returns {Uint8Array}
 */
export function encode(header) {
  check(header);
  return new Writer(TAG)
    .u32(VERSION)
    .str(header.messageId, 'message id')
    .str(header.fromNumber, 'sender number')
    .str(header.fromDeviceId, 'sender device id')
    .str(header.toNumber, 'recipient number')
    .u64(header.sentAt, 'sentAt')
    .u64(header.fromListVersion, 'sender device list version')
    .u64(header.toListVersion, 'recipient device list version')
    .toBytes();
}

/**
 * The header {@link encode} produced `bytes`; throws for anything else.
 * @param {Uint8Array} bytes
 * @returns {MessageHeader}
 */
export function decode(bytes) {
  const input = new Reader(bytes, 'message header').tag(TAG);
  const version = input.u32();
  if (version !== VERSION) {
    throw input.malformed('unsupported version ' + version);
  }
  const header = {
    version,
    messageId: input.str('message id'),
    fromNumber: input.str('sender number'),
    fromDeviceId: input.str('sender device id'),
    toNumber: input.str('recipient number'),
    sentAt: input.u64('sentAt'),
    fromListVersion: input.u64('sender device list version'),
    toListVersion: input.u64('recipient device list version'),
  };
  input.end();
  try {
    check(header);
  } catch (e) {
    throw input.malformed(e.message);
  }
  return header;
}
