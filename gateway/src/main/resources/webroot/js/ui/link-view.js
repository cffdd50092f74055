// The linking screen: a QR code carrying sblink:2:<linkId>:<ephemeralKey>:<identityKey>:<linkingSecret>,
// renewed before the gateway lets it expire, with instructions, until the primary approves it.
import { $ } from './dom.js';
import { startLink, renderSvg } from './core.js';

const RENEW_BEFORE_EXPIRY_MS = 20_000;

function deviceName() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chromium'
    : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'macOS' : /Android/.test(ua) ? 'Android'
    : /Linux/.test(ua) ? 'Linux' : '';
  return `Web inbox (${browser}${os ? ' on ' + os : ''})`;
}

/** Shows the linking screen and resolves the link ({number, deviceId, token, ...}) once approved. */
export function runLinking(api, keys) {
  const view = $('#link-view');
  const qr = $('#link-qr');
  const status = $('#link-status');
  const text = $('#link-text');
  view.hidden = false;
  let generation = 0;
  let timer = null;
  let current = null;

  return new Promise((resolve) => {
    const retryLater = (message) => {
      status.textContent = message;
      clearTimeout(timer);
      timer = setTimeout(renew, 3000);
    };

    async function renew() {
      const gen = ++generation;
      clearTimeout(timer);
      let link;
      try {
        link = await startLink(api, keys, deviceName());
      } catch (e) {
        if (gen === generation) retryLater('Cannot reach the gateway. Trying again…');
        return;
      }
      if (gen !== generation) return;
      if (current) current.cancel();
      current = link;
      qr.replaceChildren(renderSvg(link.qrText, { label: 'QR code to link this browser' }));
      qr.dataset.qr = link.qrText;
      text.textContent = link.qrText;
      status.textContent = 'Waiting for your phone to scan the code…';
      const left = Date.parse(link.expiresAt) - Date.now() - RENEW_BEFORE_EXPIRY_MS;
      timer = setTimeout(renew, Math.max(5_000, Math.min(left, 110_000)));
      link.wait().then((linked) => {
        if (gen !== generation) return;
        generation++;
        clearTimeout(timer);
        status.textContent = 'Linked. Loading your messages…';
        view.hidden = true;
        resolve(linked);
      }, (e) => {
        if (gen !== generation) return;
        if (e && e.code === 'link_expired') {
          renew();
        } else if (e && e.code === 'link_refused') {
          status.textContent = 'The approval did not pass the security checks, so this browser refused it. Showing a new code…';
          clearTimeout(timer);
          timer = setTimeout(renew, 2000);
        } else {
          retryLater('Lost contact with the gateway. Showing a new code…');
        }
      });
    }
    renew();
  });
}
