/**
 * Validates and normalises message content (parts and suggestions) before anything shows it, by
 * the rules the gateway applies to plaintext (the Java `MessageJson`): known part and suggestion
 * types only, every field of the type it must have and within its bounds, `openUrl` links only
 * `http:`/`https:`, coordinates finite numbers in range. Used for the content of end-to-end
 * messages (which only a peer wrote: the gateway never saw it) and for plaintext messages as the
 * gateway delivers them (a gateway may be hostile too): the UI gets fresh objects holding only the
 * known fields, never what arrived.
 *
 * A part of an unknown type is left out (a newer client may send one: nothing here could show it);
 * a known one that breaks a rule makes the whole content invalid (Error `code` `"invalid_content"`,
 * message naming the path).
 * @module core/content
 */

export const MAX_TEXT = 65_536;
export const MAX_SHORT = 2_048;
export const MAX_PARTS = 20;
export const MAX_SUGGESTIONS = 20;
export const MAX_CARDS = 20;
export const MAX_LABEL = 255;
export const MAX_POSTBACK = 4_096;
const MAX_MEDIA_ID = 200;
const MAX_CONTENT_TYPE = 255;
const MAX_FILE_NAME = 255;
const MAX_KEY = 256;
const E164 = /^\+[0-9]{8,15}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

function invalid(path, message) {
  const error = new Error('invalid content at ' + path + ': ' + message);
  error.code = 'invalid_content';
  error.path = path;
  return error;
}

function object(value, path) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(path, 'not an object');
  }
  return value;
}

function string(node, field, path, max, required) {
  const value = node[field];
  if (value === undefined || value === null) {
    if (required) {
      throw invalid(path + '.' + field, 'required string');
    }
    return undefined;
  }
  if (typeof value !== 'string') {
    throw invalid(path + '.' + field, 'not a string');
  }
  if (value.length > max) {
    throw invalid(path + '.' + field, 'longer than ' + max + ' characters');
  }
  return value;
}

function number(node, field, path, min, max) {
  const value = node[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(path + '.' + field, 'required number');
  }
  if (value < min || value > max) {
    throw invalid(path + '.' + field, 'must be between ' + min + ' and ' + max);
  }
  return value;
}

function list(node, field, path, max, read) {
  const value = node[field];
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw invalid(path + '.' + field, 'not an array');
  }
  if (value.length > max) {
    throw invalid(path + '.' + field, 'more than ' + max + ' items');
  }
  const out = [];
  value.forEach((item, i) => {
    const read1 = read(item, path + '.' + field + '[' + i + ']');
    if (read1 !== null) {
      out.push(read1);
    }
  });
  return out;
}

function typeOf(value, path) {
  const node = object(value, path);
  if (typeof node.type !== 'string') {
    throw invalid(path + '.type', 'required string');
  }
  return node;
}

function put(target, field, value) {
  if (value !== undefined) {
    target[field] = value;
  }
  return target;
}

/**
 * An `http:` or `https:` URL, or an Error: anything else (`javascript:`, `data:`, relative) could
 * run or load something in this page's name.
 */
function webUrl(node, field, path) {
  const value = string(node, field, path, MAX_SHORT, true);
  if (!/^https?:\/\//i.test(value)) {
    throw invalid(path + '.' + field, 'must be an http or https URL');
  }
  let url;
  try {
    url = new URL(value);
  } catch (e) {
    throw invalid(path + '.' + field, 'not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(path + '.' + field, 'must be an http or https URL');
  }
  return url.href;
}

function time(node, field, path) {
  const value = string(node, field, path, 64, true);
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at)) {
    throw invalid(path + '.' + field, 'must be an RFC 3339 time');
  }
  return new Date(at).toISOString();
}

/**
 * One suggestion, normalised; null for an unknown type.
 * @returns {Object|null}
 */
export function readSuggestion(value, path = 'suggestion') {
  const node = typeOf(value, path);
  const text = () => string(node, 'text', path, MAX_LABEL, true);
  switch (node.type) {
    case 'reply':
      return put({type: 'reply', text: text()}, 'postbackData', string(node, 'postbackData', path, MAX_POSTBACK, false));
    case 'openUrl':
      return {type: 'openUrl', text: text(), url: webUrl(node, 'url', path)};
    case 'dial': {
      const phoneNumber = string(node, 'phoneNumber', path, 32, true);
      if (!E164.test(phoneNumber)) {
        throw invalid(path + '.phoneNumber', 'not an E.164 number');
      }
      return {type: 'dial', text: text(), phoneNumber};
    }
    case 'showLocation':
      return put({type: 'showLocation', text: text(), latitude: number(node, 'latitude', path, -90, 90),
        longitude: number(node, 'longitude', path, -180, 180)}, 'label', string(node, 'label', path, MAX_SHORT, false));
    case 'shareLocation':
      return {type: 'shareLocation', text: text()};
    case 'calendarEvent':
      return put({type: 'calendarEvent', text: text(), title: string(node, 'title', path, MAX_LABEL, true),
        startTime: time(node, 'startTime', path), endTime: time(node, 'endTime', path)},
      'description', string(node, 'description', path, MAX_SHORT, false));
    default:
      return null;
  }
}

function readCard(value, path) {
  const node = typeOf(value, path);
  if (node.type !== 'richCard') {
    throw invalid(path + '.type', "must be 'richCard'");
  }
  const card = {type: 'richCard'};
  put(card, 'title', string(node, 'title', path, MAX_LABEL, false));
  put(card, 'description', string(node, 'description', path, MAX_SHORT, false));
  if (node.media !== undefined && node.media !== null) {
    const media = object(node.media, path + '.media');
    card.media = {mediaId: string(media, 'mediaId', path + '.media', MAX_MEDIA_ID, true)};
  }
  if (card.title === undefined && card.description === undefined && card.media === undefined) {
    throw invalid(path, 'a rich card needs a title, a description or media');
  }
  card.suggestions = list(node, 'suggestions', path, MAX_SUGGESTIONS, readSuggestion);
  return card;
}

function key(node, field, path) {
  const value = string(node, field, path, MAX_KEY, false);
  if (value !== undefined && !BASE64URL.test(value)) {
    throw invalid(path + '.' + field, 'not base64url');
  }
  return value;
}

/**
 * One part, normalised; null for an unknown type.
 * @param {*} value
 * @param {string} [path]
 * @param {{encrypted?: boolean}} [options] encrypted: media parts may carry `key` and `digest`
 * @returns {Object|null}
 */
export function readPart(value, path = 'part', options = {}) {
  const node = typeOf(value, path);
  switch (node.type) {
    case 'text':
      return {type: 'text', text: string(node, 'text', path, MAX_TEXT, true)};
    case 'media': {
      const part = {type: 'media', mediaId: string(node, 'mediaId', path, MAX_MEDIA_ID, true)};
      put(part, 'contentType', string(node, 'contentType', path, MAX_CONTENT_TYPE, false));
      if (node.size !== undefined && node.size !== null) {
        if (!Number.isSafeInteger(node.size) || node.size < 0) {
          throw invalid(path + '.size', 'not a size');
        }
        part.size = node.size;
      }
      put(part, 'fileName', string(node, 'fileName', path, MAX_FILE_NAME, false));
      if (options.encrypted) {
        const k = key(node, 'key', path);
        const digest = key(node, 'digest', path);
        if ((k === undefined) !== (digest === undefined)) {
          throw invalid(path, 'an encrypted attachment needs both a key and a digest');
        }
        put(part, 'key', k);
        put(part, 'digest', digest);
      }
      return part;
    }
    case 'richCard':
      return readCard(node, path);
    case 'carousel': {
      const cards = list(node, 'cards', path, MAX_CARDS, readCard);
      if (cards.length === 0) {
        throw invalid(path + '.cards', 'a carousel needs 1 to ' + MAX_CARDS + ' cards');
      }
      return {type: 'carousel', cards};
    }
    case 'location':
      return put({type: 'location', latitude: number(node, 'latitude', path, -90, 90),
        longitude: number(node, 'longitude', path, -180, 180)}, 'label', string(node, 'label', path, MAX_SHORT, false));
    default:
      return null;
  }
}

/**
 * The parts of a message, validated and normalised (unknown types left out).
 * @param {*} parts an array, or null/undefined for none
 * @param {{encrypted?: boolean, path?: string}} [options]
 * @returns {Object[]}
 * @throws {Error} `code` "invalid_content"
 */
export function readParts(parts, options = {}) {
  return list({parts}, 'parts', options.path || 'message', MAX_PARTS, (v, p) => readPart(v, p, options));
}

/**
 * The suggestions of a message, validated and normalised (unknown types left out).
 * @throws {Error} `code` "invalid_content"
 */
export function readSuggestions(suggestions, path = 'message') {
  return list({suggestions}, 'suggestions', path, MAX_SUGGESTIONS, readSuggestion);
}

/**
 * The text of a message: a string, or null.
 * @throws {Error} `code` "invalid_content"
 */
export function readText(text, path = 'message', max = MAX_TEXT) {
  if (text === undefined || text === null) {
    return null;
  }
  return string({text}, 'text', path, max, true);
}

/**
 * The OpenStreetMap link of a place, built from numbers only.
 * @param {number} latitude
 * @param {number} longitude
 * @param {boolean} [withMap] add the `#map=` fragment
 * @returns {string}
 */
export function mapUrl(latitude, longitude, withMap = true) {
  if (typeof latitude !== 'number' || !Number.isFinite(latitude) || latitude < -90 || latitude > 90
      || typeof longitude !== 'number' || !Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
    throw invalid('location', 'not a place');
  }
  const url = new URL('https://www.openstreetmap.org/');
  url.search = new URLSearchParams({mlat: String(latitude), mlon: String(longitude)}).toString();
  if (withMap) {
    url.hash = 'map=16/' + String(latitude) + '/' + String(longitude);
  }
  return url.href;
}

/**
 * What a plaintext message as the gateway delivers it says, validated and normalised: `text`,
 * `parts` (text parts included, unknown types left out) and `suggestions`.
 * @param {Object} message the API's Message
 * @returns {{text: string|null, parts: Object[], suggestions: Object[]}}
 * @throws {Error} `code` "invalid_content"
 */
export function readMessage(message) {
  const node = object(message, 'message');
  return {text: readText(node.text), parts: readParts(node.parts), suggestions: readSuggestions(node.suggestions)};
}
