// The one place the page meets the JavaScript core (js/core, WebCrypto only): the API client, the
// device keys, linking, end-to-end encryption, attachments and the QR encoder.
import { Api, ApiError } from '../core/api.js';
import { DeviceKeys } from '../core/keys.js';
import { startLink } from '../core/linking.js';
import { E2ee } from '../core/e2ee.js';
import { renderSvg } from '../core/qr.js';
import { readMessage, mapUrl } from '../core/content.js';

export { Api, ApiError, DeviceKeys, startLink, renderSvg, readMessage, mapUrl };

/** The end-to-end layer for a linked device (its trust store is the core's, in IndexedDB). */
export function e2eeFor(api, keys, me) {
  return new E2ee(api, keys, me);
}
