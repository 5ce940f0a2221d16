#!/usr/bin/env node
// rwp-check.mjs — prove a WACZ opens in ReplayWeb.page and that given pages render text.
// Usage: node rwp-check.mjs FILE.wacz URL...
// Fully offline: serves the replaywebpage static app + the WACZ on 127.0.0.1 and drives
// Debian's /usr/bin/chromium (headless) through puppeteer-core.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TOTAL_TIMEOUT_MS = Number(process.env.RWP_TOTAL_TIMEOUT_MS || 90_000);
const LOAD_TIMEOUT_MS = 30_000; // archive load
const PAGE_TIMEOUT_MS = 30_000; // per replayed page
const SNIPPET = 300;

const [waczArg, ...urls] = process.argv.slice(2);
if (!waczArg || urls.length === 0) {
  process.stderr.write('usage: node rwp-check.mjs FILE.wacz URL...\n');
  process.exit(2);
}
const waczPath = path.resolve(waczArg);

const require = createRequire(import.meta.url);
const APP_DIR = path.dirname(require.resolve('replaywebpage/index.html'));

const result = { loaded: false, pages: [], errors: [] };
const t0 = Date.now();
const log = (...a) => { if (process.env.RWP_DEBUG) process.stderr.write(`[${Date.now() - t0}ms] ${a.join(' ')}\n`); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- HTTP server
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.wasm': 'application/wasm', '.gz': 'application/gzip', '.map': 'application/json',
  '.wacz': 'application/wacz',
};

function sendFile(req, res, file, type) {
  let st;
  try { st = fs.statSync(file); } catch { res.writeHead(404).end('not found'); return; }
  if (!st.isFile()) { res.writeHead(404).end('not found'); return; }
  const size = st.size;
  const headers = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
  let start = 0, end = size - 1, status = 200;
  const range = req.headers.range;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (!m || (m[1] === '' && m[2] === '')) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end(); return;
    }
    if (m[1] === '') { start = Math.max(0, size - Number(m[2])); } // suffix range
    else { start = Number(m[1]); if (m[2] !== '') end = Math.min(Number(m[2]), size - 1); }
    if (start > end || start >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end(); return;
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['Content-Length'] = String(end - start + 1);
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) { res.end(); return; }
  fs.createReadStream(file, { start, end }).pipe(res);
}

const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://127.0.0.1');
  log('HTTP', req.method, req.url, req.headers.range || '');
  if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
  if (u.pathname === '/archive.wacz') return sendFile(req, res, waczPath, MIME['.wacz']);
  let p = decodeURIComponent(u.pathname);
  if (p === '/' || p === '') p = '/index.html';
  const file = path.join(APP_DIR, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
  if (!file.startsWith(APP_DIR + path.sep)) { res.writeHead(403).end(); return; }
  return sendFile(req, res, file, MIME[path.extname(file)] || 'application/octet-stream');
});

// ------------------------------------------------------------ in-page helpers
// All run inside the app page (top frame); they walk open shadow roots.
const FIND_DEEP = `(sel) => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.matches(sel)) out.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return out;
}`;

async function appState(page) {
  return page.evaluate(`(() => {
    const findDeep = ${FIND_DEEP};
    const item = findDeep('wr-item')[0];
    const loader = findDeep('wr-loader')[0];
    const info = item && item.itemInfo;
    const loaderText = loader && loader.shadowRoot ? loader.shadowRoot.textContent.replace(/\\s+/g, ' ').trim() : '';
    return {
      hasItem: !!item,
      coll: info ? info.coll || null : null,
      pages: info && Array.isArray(info.pages) ? info.pages.map(p => ({ url: p.url, ts: p.ts, title: p.title })) : null,
      loaderText,
      loaderError: loader ? (loader.error || false) : false,
    };
  })()`);
}

async function archiveInfo(page) {
  return page.evaluate(`(async () => {
    const findDeep = ${FIND_DEEP};
    const item = findDeep('wr-item')[0];
    const infoEl = findDeep('wr-item-info')[0];
    const fields = infoEl && infoEl.shadowRoot
      ? Array.from(infoEl.shadowRoot.querySelectorAll('wr-labeled-field'))
          .map(f => (f.getAttribute('label') || '') + ': ' + f.textContent.replace(/\\s+/g, ' ').trim())
      : [];
    const v = item && item.itemInfo ? item.itemInfo.verify || null : null;
    // raw per-file verification entries kept by wabac in IndexedDB ("verification" store)
    let entries = null;
    try {
      const coll = item && item.itemInfo && item.itemInfo.coll;
      const dbs = await indexedDB.databases();
      const d = dbs.find(x => x.name && coll && x.name.includes(coll) && !x.name.includes('cache'));
      if (d) {
        const db = await new Promise((res, rej) => { const r = indexedDB.open(d.name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
        if (db.objectStoreNames.contains('verification')) {
          entries = await new Promise((res, rej) => {
            const r = db.transaction('verification').objectStore('verification').getAll();
            r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error);
          });
        }
        db.close();
      }
    } catch (e) { entries = 'unavailable: ' + e; }
    return { fields, verify: v ? JSON.parse(JSON.stringify(v)) : null, verificationEntries: entries };
  })()`);
}

// text of ReplayWeb.page's own UI around the replay (e.g. "not found" messages)
async function replayUiText(page) {
  return page.evaluate(`(() => {
    const findDeep = ${FIND_DEEP};
    const r = findDeep('wr-coll-replay')[0];
    if (!r || !r.shadowRoot) return '';
    const clone = Array.from(r.shadowRoot.children).filter(e => e.tagName !== 'IFRAME' && e.tagName !== 'STYLE');
    return clone.map(e => e.innerText || e.textContent || '').join(' ').replace(/\\s+/g, ' ').trim();
  })()`);
}

function toTs(ts) {
  // pages in wr-item.itemInfo carry ts as epoch milliseconds; RWP's hash wants YYYYMMDDhhmmss
  if (!ts) return '';
  if (typeof ts === 'string' && /^\d{14}$/.test(ts)) return ts;
  const d = new Date(typeof ts === 'string' && /^\d+$/.test(ts) ? Number(ts) : ts);
  return isNaN(d) ? '' : d.toISOString().replace(/[-:TZ]/g, '').slice(0, 14);
}

// ------------------------------------------------------------------- main
let browser;
let launching = null; // pending puppeteer.launch(), so a timeout during launch can still close it
async function run() {
  await new Promise((res, rej) => server.listen(0, '127.0.0.1', res).on('error', rej));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const waczUrl = `${origin}/archive.wacz`;
  log('server at', origin);

  launching = puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--no-default-browser-check', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--metrics-recording-only', '--mute-audio',
      // hard offline guarantee: nothing but loopback resolves
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      '--proxy-server=direct://', '--proxy-bypass-list=*',
    ],
  });
  browser = await launching;
  if (process.env.RWP_DEBUG) {
    // also show the service worker's console (wabac runs there)
    browser.on('targetcreated', async (t) => {
      if (t.type() !== 'service_worker') return;
      try { const w = await t.worker(); w && w.on('console', (m) => log('sw-console', m.type(), m.text())); } catch { /* ignore */ }
    });
  }
  const page = await browser.newPage();
  page.on('pageerror', (e) => log('pageerror', e.message));
  // HTTP status of replay-frame navigations (served by the service worker; 404 = not in archive)
  const navStatus = new Map();
  page.on('response', (r) => {
    try { if (r.request().isNavigationRequest() && r.url().includes('mp_/')) navStatus.set(r.url(), r.status()); } catch { /* ignore */ }
  });
  page.on('workercreated', (w) => { if (process.env.RWP_DEBUG) w.on('console', (m) => log('worker-console', m.type(), m.text())); });
  page.on('console', (m) => log('console', m.type(), m.text()));

  const appQuery = `?source=${encodeURIComponent(waczUrl)}`;
  const appUrl = `${origin}/${appQuery}#view=pages`;
  log('goto', appUrl);
  await page.goto(appUrl, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });

  // service worker registration (same origin, scope "/")
  const swOk = await page.evaluate(async () => {
    const reg = await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(() => r(null), 15000))]);
    return !!(reg && reg.active);
  });
  log('service worker active:', swOk);
  if (!swOk) result.errors.push('service worker did not become active');

  // wait for the archive to load (wr-item gets itemInfo.coll, pages list available)
  let st, deadline = Date.now() + LOAD_TIMEOUT_MS;
  while (Date.now() < deadline) {
    st = await appState(page);
    if (st.coll) break;
    if (st.loaderError) break;
    await sleep(250);
  }
  if (!st || !st.coll) {
    result.errors.push(`archive did not load: ${st ? st.loaderText.slice(0, 300) : 'no state'}`);
    return;
  }
  result.loaded = true;
  result.loadMs = Date.now() - t0;
  result.archivePages = st.pages;
  if (!st.pages || st.pages.length === 0) result.errors.push('archive opened but lists no pages');
  log('archive loaded, coll', st.coll, 'pages', st.pages && st.pages.length);

  // archive info / signing (best effort)
  try { result.archiveInfo = await archiveInfo(page); } catch (e) { result.errors.push(`archive info: ${e.message}`); }

  for (const url of urls) {
    const pStart = Date.now();
    const entry = { url, ok: false, text: '' };
    result.pages.push(entry);
    const listed = (st.pages || []).find((p) => p.url === url);
    entry.inPagesList = !!listed;
    const ts = listed ? toTs(listed.ts) : '';
    const hash = new URLSearchParams({ view: 'replay', url, ...(ts ? { ts } : {}) }).toString();
    entry.appUrl = `${origin}/${appQuery}#${hash}`;
    await page.evaluate((h) => { window.location.hash = h; }, hash);
    const marker = `mp_/${url}`;
    let text = '', frameUrl = '', uiText = '';
    const end = Date.now() + PAGE_TIMEOUT_MS;
    while (Date.now() < end) {
      const fr = page.frames().find((f) => f.url().includes(marker) || (f.url().includes('mp_/') && f.url().endsWith(url)));
      if (fr) {
        frameUrl = fr.url();
        try {
          text = await fr.evaluate(() => (document.readyState !== 'loading' && document.body ? document.body.innerText : ''));
        } catch { text = ''; } // frame navigating / detached
        if (text && text.trim()) break;
      }
      await sleep(300);
    }
    try { uiText = await replayUiText(page); } catch { /* ignore */ }
    let notFoundFlag = false;
    try {
      notFoundFlag = await page.evaluate(`(() => { const findDeep = ${FIND_DEEP}; const r = findDeep('wr-coll-replay')[0]; return !!(r && r.replayNotFoundError); })()`);
    } catch { /* ignore */ }
    entry.frameUrl = frameUrl || null;
    entry.status = frameUrl && navStatus.has(frameUrl) ? navStatus.get(frameUrl) : null;
    entry.ms = Date.now() - pStart;
    text = (text || '').replace(/\s+/g, ' ').trim();
    entry.text = text.slice(0, SNIPPET);
    const notFound = notFoundFlag || (entry.status !== null && entry.status >= 400);
    entry.ok = text.length > 0 && !notFound;
    if (uiText) entry.rwpMessage = uiText.slice(0, SNIPPET);
    if (notFound) result.errors.push(`not in archive / error page for ${url} (status ${entry.status}): ${text.slice(0, 120)}`);
    else if (!entry.ok) result.errors.push(`no text rendered for ${url}${uiText ? ` (ReplayWeb.page shows: ${uiText.slice(0, 200)})` : ''}`);
    log('page', url, entry.ok ? 'OK' : 'FAIL', entry.ms + 'ms');
  }
}

let finished = false;
async function cleanup() {
  if (!browser && launching) { try { browser = await Promise.race([launching, sleep(10000)]); } catch { /* ignore */ } }
  try { if (browser) await Promise.race([browser.close(), sleep(5000)]); } catch { /* ignore */ }
  try { const p = browser && browser.process(); if (p && p.exitCode === null) p.kill('SIGKILL'); } catch { /* ignore */ }
  await new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); setTimeout(r, 2000); });
}
function finish() {
  if (finished) return;
  finished = true;
  result.totalMs = Date.now() - t0;
  const ok = result.loaded && result.pages.length === urls.length && result.pages.every((p) => p.ok);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  process.exitCode = ok ? 0 : 1;
}

const timer = setTimeout(async () => {
  result.errors.push(`overall timeout after ${TOTAL_TIMEOUT_MS} ms`);
  finish();
  await cleanup();
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

try {
  await run();
} catch (e) {
  result.errors.push(String(e && e.stack ? e.stack.split('\n')[0] : e));
}
clearTimeout(timer);
finish();
await cleanup();
process.exit(process.exitCode);
