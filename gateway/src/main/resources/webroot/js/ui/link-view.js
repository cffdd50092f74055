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

/**
 * Shows the linking screen and resolves the link ({number, deviceId, token, ...}) once approved.
 * A renewed code does not drop the earlier ones: each keeps waiting until the gateway lets it
 * expire, since a phone may have scanned it just before the renewal; whichever is approved first
 * links this browser and the others are cancelled.
 */
export function runLinking(api, keys) {
  const view = $('#link-view');
  const qr = $('#link-qr');
  const status = $('#link-status');
  const text = $('#link-text');
  view.hidden = false;
  let timer = null;
  let current = null;
  let settled = false;
  let renewing = false;
  const live = new Set();

  const forget = (link) => {
    live.delete(link);
    clearTimeout(link.expiryTimer);
  };

  return new Promise((resolve) => {
    const retryLater = (message) => {
      status.textContent = message;
      clearTimeout(timer);
      timer = setTimeout(renew, 3000);
    };

    async function renew() {
      if (settled || renewing) return;
      renewing = true;
      clearTimeout(timer);
      let link;
      try {
        link = await startLink(api, keys, deviceName());
      } catch (e) {
        if (!settled) retryLater('Cannot reach the gateway. Trying again…');
        return;
      } finally {
        renewing = false;
      }
      if (settled) {
        link.cancel();
        return;
      }
      current = link;
      live.add(link);
      qr.replaceChildren(renderSvg(link.qrText, { label: 'QR code to link this browser' }));
      qr.dataset.qr = link.qrText;
      text.textContent = link.qrText;
      status.textContent = 'Waiting for your phone to scan the code…';
      const expiresIn = Date.parse(link.expiresAt) - Date.now();
      const left = expiresIn - RENEW_BEFORE_EXPIRY_MS;
      timer = setTimeout(renew, Math.max(5_000, Math.min(Number.isFinite(left) ? left : 110_000, 110_000)));
      // Stop waiting for this code once the gateway no longer accepts it (a little after, for clock skew).
      link.expiryTimer = setTimeout(() => {
        if (settled || !live.has(link)) return;
        forget(link);
        link.cancel();
      }, Math.max(0, Number.isFinite(expiresIn) ? expiresIn : 120_000) + 10_000);
      link.wait().then((linked) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const other of [...live]) {
          forget(other);
          if (other !== link) other.cancel();
        }
        status.textContent = 'Linked. Loading your messages…';
        view.hidden = true;
        resolve(linked);
      }, (e) => {
        forget(link);
        if (settled) return;
        if (e && e.code === 'link_refused') {
          status.textContent = 'The approval did not pass the security checks, so this browser refused it. Showing a new code…';
          if (link === current) {
            clearTimeout(timer);
            timer = setTimeout(renew, 2000);
          }
          return;
        }
        if (link !== current) return; // an earlier code ran out: the one shown is still good
        if (e && e.code === 'link_expired') {
          renew();
        } else {
          retryLater('Lost contact with the gateway. Showing a new code…');
        }
      });
    }
    renew();
  });
}
