// Tiny DOM helpers. Text always goes in as text nodes, never as HTML: message content is untrusted.

/** h('li', {class: 'x', dataset: {id: 1}, onclick: fn, 'aria-label': 'y'}, child, 'text', [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'hidden') el.hidden = true;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

export function show(el, visible) {
  el.hidden = !visible;
}

/** A random id usable as an Idempotency-Key. */
export function randomKey(prefix = 'web') {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return prefix + '-' + [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Makes `parent`'s children the `next` elements (each with a `data-key`), keeping every existing
 * child whose key and content are unchanged: a re-render then moves nothing that did not change, so
 * focus, text selection and hover stay where they were.
 */
export function reconcile(parent, next) {
  const old = new Map();
  for (const c of parent.children) if (c.dataset.key) old.set(c.dataset.key, c);
  const result = next.map((n) => {
    const o = old.get(n.dataset.key);
    return o && o.isEqualNode(n) ? o : n;
  });
  const keep = new Set(result);
  for (const c of [...parent.children]) if (!keep.has(c)) c.remove();
  result.forEach((n, i) => {
    if (parent.children[i] !== n) parent.insertBefore(n, parent.children[i] || null);
  });
}

const ICONS = {
  lock: 'M7 10V7a5 5 0 0 1 10 0v3M5 10h14v11H5z',
  clock: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M12 7v5l3 2',
  clip: 'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5',
  file: 'M6 2h8l5 5v15H6zM14 2v5h5',
};

/** A small line icon (SVG, so it needs no emoji font), hidden from screen readers. */
export function icon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `icon icon-${name}`);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name]);
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '2');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}
