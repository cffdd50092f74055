/**
 * The gateway's REST API (gateway/src/main/resources/openapi.yaml) for the page: JSON in and out,
 * errors as {@link ApiError}, media uploads with progress.
 * @module core/api
 */

/**
 * An error answer of the gateway (`{"error": code, "message": text, ...}`), or a failure to reach
 * it at all: then `status` is 0 and `code` `"network_error"` (the request may or may not have
 * arrived: resend with the same idempotency key).
 */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the gateway could not be reached
   * @param {string} code the `error` code
   * @param {string} message
   * @param {Object} [details] the whole error body (e.g. `missingDevices`, `staleDevices`)
   */
  constructor(status, code, message, details = {}) {
    super(message);
    this.name = 'ApiError';
    /** @type {number} */
    this.status = status;
    /** @type {string} */
    this.code = code;
    /** @type {Object} */
    this.details = details;
  }
}

function newIdempotencyKey() {
  return globalThis.crypto.randomUUID();
}

async function errorOf(response) {
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    body = {};
  }
  return new ApiError(response.status, body.error || 'http_' + response.status,
    body.message || response.statusText || 'HTTP ' + response.status, body);
}

export class Api {
  /**
   * @param {string} [baseUrl] the gateway's origin ('' or omitted: this page's origin)
   * @param {string} [token] the device token; without it only unauthenticated calls work
   */
  constructor(baseUrl = '', token = null) {
    /** @type {string} */
    this.baseUrl = (baseUrl || globalThis.location?.origin || '').replace(/\/$/, '');
    /** @type {string|null} */
    this.token = token;
  }

  /** A copy of this client with `token`. @returns {Api} */
  withToken(token) {
    return new Api(this.baseUrl, token);
  }

  /** The absolute URL of `path`. */
  url(path) {
    return this.baseUrl + path;
  }

  /** The ws:// or wss:// URL of `path`. */
  wsUrl(path) {
    return this.url(path).replace(/^http/, 'ws');
  }

  /**
   * One JSON request.
   * @param {string} method
   * @param {string} path e.g. "/v1/conversations?limit=50"
   * @param {*} [body] sent as JSON when not undefined
   * @param {{idempotencyKey?: string, signal?: AbortSignal}} [options]
   * @returns {Promise<*>} the parsed JSON answer, or null for an empty one (204)
   * @throws {ApiError}
   */
  async request(method, path, body, options = {}) {
    const headers = {Accept: 'application/json'};
    if (this.token) {
      headers.Authorization = 'Bearer ' + this.token;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options.idempotencyKey) {
      headers['Idempotency-Key'] = options.idempotencyKey;
    }
    let response;
    try {
      response = await fetch(this.url(path), {method, headers, cache: 'no-store', signal: options.signal,
        body: body === undefined ? undefined : JSON.stringify(body)});
    } catch (e) {
      throw new ApiError(0, 'network_error', 'the gateway cannot be reached: ' + e.message);
    }
    if (!response.ok) {
      throw await errorOf(response);
    }
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  /** GET `path`. @returns {Promise<*>} */
  get(path, options) {
    return this.request('GET', path, undefined, options);
  }

  /**
   * POST `body` to `path`; `POST /v1/messages` needs `{idempotencyKey}` (a fresh one is made when
   * missing there).
   * @returns {Promise<*>}
   */
  post(path, body, options = {}) {
    if (path === '/v1/messages' && !options.idempotencyKey) {
      options = {...options, idempotencyKey: newIdempotencyKey()};
    }
    return this.request('POST', path, body === undefined ? {} : body, options);
  }

  /** PUT `body` to `path`. @returns {Promise<*>} */
  put(path, body, options) {
    return this.request('PUT', path, body === undefined ? {} : body, options);
  }

  /** DELETE `path`, with an optional JSON body. @returns {Promise<*>} */
  del(path, body, options) {
    return this.request('DELETE', path, body, options);
  }

  /**
   * Uploads media (`POST /v1/media`) with upload progress.
   * @param {Blob|Uint8Array} data
   * @param {string} contentType
   * @param {string} [fileName] sent as X-File-Name when it is printable ASCII
   * @param {(loaded: number, total: number) => void} [onProgress]
   * @returns {Promise<{mediaId: string, size: number, contentType: string, sha256: string}>}
   * @throws {ApiError}
   */
  uploadMedia(data, contentType, fileName, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.url('/v1/media'));
      if (this.token) {
        xhr.setRequestHeader('Authorization', 'Bearer ' + this.token);
      }
      xhr.setRequestHeader('Content-Type', contentType || 'application/octet-stream');
      if (fileName && /^[\x20-\x7e]{1,255}$/.test(fileName)) {
        xhr.setRequestHeader('X-File-Name', fileName);
      }
      xhr.responseType = 'text';
      if (onProgress) {
        xhr.upload.onprogress = event => onProgress(event.loaded, event.lengthComputable ? event.total : 0);
      }
      xhr.onload = () => {
        let body = {};
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : {};
        } catch (e) {
          body = {};
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(body);
        } else {
          reject(new ApiError(xhr.status, body.error || 'http_' + xhr.status, body.message || 'HTTP ' + xhr.status, body));
        }
      };
      xhr.onerror = () => reject(new ApiError(0, 'network_error', 'the gateway cannot be reached'));
      xhr.send(data);
    });
  }

  /**
   * Downloads media (`GET /v1/media/{id}`).
   * @param {string} id
   * @returns {Promise<Uint8Array>}
   * @throws {ApiError}
   */
  async downloadMedia(id) {
    const headers = {};
    if (this.token) {
      headers.Authorization = 'Bearer ' + this.token;
    }
    let response;
    try {
      response = await fetch(this.url('/v1/media/' + encodeURIComponent(id)), {headers, cache: 'no-store'});
    } catch (e) {
      throw new ApiError(0, 'network_error', 'the gateway cannot be reached: ' + e.message);
    }
    if (!response.ok) {
      throw await errorOf(response);
    }
    return new Uint8Array(await response.arrayBuffer());
  }
}
