#!/usr/bin/env node
// The xss gate (issue 14): loads every page of a built site in headless Chromium (Debian's,
// driven by playwright-core; never a downloaded browser) and fails on anything that shows a
// script from content ran or could run.
//
//   node hostile.mjs --root DIR [--port PORT] [--pages /a/,/b/] [--chromium PATH] [--search WORD]
//
// Build the site with --base-url http://127.0.0.1:PORT/ first (tests/fixtures/hostile-site is
// the site made of payloads; see its README). For every HTML page (or only --pages), every
// Atom feed and the sitemap:
//   - any dialog (alert, confirm, prompt), in the page or any of its frames, is a failure;
//   - `window.__bwxss` set by a payload, in any frame, is a failure;
//   - the live DOM (after scripts ran, in every frame) must hold no `on…` attribute, no
//     `javascript:`/`vbscript:`/`data:` URL in a URL attribute, no `srcdoc`, no `<iframe>`,
//     `<object>`, `<embed>`, `<base>`, `<meta http-equiv>`, and no script but the theme's
//     `static/search.js`;
//   - every element is hovered, focused and clicked (links are kept from navigating), and
//     `<details>` opened, so that handlers that slipped through would fire.
// On the search page it also types --search (default `alert`) so that results built from
// hostile titles are rendered, then checks again.
// Prints one FAIL line per finding and, last,
// `xss_pages=N xss_dialogs=N xss_markers=N xss_dom=N xss_failed=N`. Exits 1 when anything was
// found, 2 when it could not run.

import { createServer } from 'node:http';
import { readFile, stat, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

function parseArgs(argv) {
  const a = { root: null, port: 0, pages: null, chromium: '/usr/bin/chromium', search: 'alert' };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i];
    const v = () => argv[++i];
    if (k === '--root') a.root = path.resolve(v());
    else if (k === '--port') a.port = Number(v());
    else if (k === '--pages') a.pages = v().split(',').filter(Boolean);
    else if (k === '--chromium') a.chromium = v();
    else if (k === '--search') a.search = v();
    else { console.error(`unknown argument ${k}`); process.exit(2); }
  }
  if (!a.root) { console.error('usage: node hostile.mjs --root DIR [--port PORT] [--pages /a/,/b/]'); process.exit(2); }
  return a;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.geojson': 'application/geo+json',
};

// A static server like any static host: `/dir/` serves dir/index.html, misses get 404.html.
function serve(root, port) {
  const server = createServer(async (req, res) => {
    let p;
    try { p = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { p = '/'; }
    let file = path.join(root, p);
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    try {
      const s = await stat(file);
      if (s.isDirectory()) {
        if (!p.endsWith('/')) { res.writeHead(301, { Location: p + '/' }); res.end(); return; }
        file = path.join(file, 'index.html');
      }
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream' });
      res.end(body);
    } catch {
      const nf = path.join(root, '404.html');
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(existsSync(nf) ? await readFile(nf) : 'not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, port: server.address().port }));
  });
}

// Every page of the site as a URL path: `x/index.html` → `/x/`, other `.html` and `.xml` files as they are.
async function allPages(root) {
  const out = [];
  const walk = async (dir) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (/\.(html|xml)$/.test(e.name)) {
        const rel = '/' + path.relative(root, full).split(path.sep).join('/');
        out.push(rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel);
      }
    }
  };
  await walk(root);
  return out.sort();
}

// Runs in every frame of a loaded page: what in the live DOM could run a script.
function domFindings() {
  const found = [];
  const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'cite', 'srcset', 'ping'];
  const runs = (v) => /^(javascript|vbscript|data|livescript):/.test(String(v).replace(/[\s\u0000-\u001f]+/g, '').toLowerCase());
  const describe = (e) => `<${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}>`;
  for (const e of document.querySelectorAll('*')) {
    const tag = e.tagName.toLowerCase();
    if (['iframe', 'object', 'embed', 'base', 'frame', 'applet', 'portal'].includes(tag)) found.push(`${describe(e)} element`);
    if (tag === 'meta' && e.hasAttribute('http-equiv')) found.push(`<meta http-equiv=${e.getAttribute('http-equiv')}>`);
    if (tag === 'script' && !(/static\/search\.js$/.test(e.getAttribute('src') || '') && !e.textContent.trim())) {
      found.push(`<script src=${JSON.stringify(e.getAttribute('src'))}> ${e.textContent.slice(0, 80)}`);
    }
    for (const a of Array.from(e.attributes)) {
      const n = a.name.toLowerCase();
      if (n.startsWith('on')) found.push(`${describe(e)} ${n}=${JSON.stringify(a.value.slice(0, 80))}`);
      else if (n === 'srcdoc') found.push(`${describe(e)} srcdoc`);
      else if (URL_ATTRS.includes(n) && runs(a.value)) found.push(`${describe(e)} ${n}=${JSON.stringify(a.value.slice(0, 80))}`);
      else if (n === 'style' && /url\s*\(|expression\s*\(/i.test(a.value)) found.push(`${describe(e)} style=${JSON.stringify(a.value.slice(0, 80))}`);
    }
  }
  return { found, marker: window.__bwxss === undefined ? null : String(window.__bwxss) };
}

// Runs in the page: gives handlers that slipped through every chance to fire.
async function provoke() {
  // Links and forms must not take the page away while this runs.
  document.addEventListener('click', (ev) => ev.preventDefault(), true);
  document.addEventListener('submit', (ev) => ev.preventDefault(), true);
  const els = Array.from(document.querySelectorAll('body *')).slice(0, 3000);
  for (const e of els) {
    for (const type of ['mouseover', 'mouseenter', 'mousedown', 'mouseup', 'click', 'focus', 'focusin', 'blur', 'input', 'change', 'animationstart', 'transitionend', 'load', 'error', 'toggle']) {
      try { e.dispatchEvent(new Event(type, { bubbles: true })); } catch { /* ignore */ }
    }
    if (typeof e.focus === 'function') try { e.focus(); } catch { /* ignore */ }
    if (e.tagName === 'DETAILS') e.open = true;
  }
  await new Promise((r) => setTimeout(r, 300));
}

async function main() {
  const args = parseArgs(process.argv);
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    console.error(`xss: playwright-core is not installed (run npm ci in scripts/quality): ${e.message}`);
    process.exit(2);
  }
  if (!existsSync(args.chromium)) { console.error(`xss: no Chromium at ${args.chromium} (apt-get install chromium)`); process.exit(2); }
  if (!existsSync(args.root)) { console.error(`xss: no site at ${args.root}`); process.exit(2); }

  const { server, port } = await serve(args.root, args.port);
  const origin = `http://127.0.0.1:${port}`;
  const pages = args.pages || await allPages(args.root);
  const browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const totals = { pages: 0, dialogs: 0, markers: 0, dom: 0, failed: 0 };
  const fail = (p, what) => { console.log(`  FAIL ${p}: ${what}`); };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Nothing may leave 127.0.0.1 (a payload's request would be blocked and reported by the
    // rendering gate; here it must simply not matter).
    await context.route('**/*', (route) => {
      const u = route.request().url();
      return u.startsWith(origin + '/') || u === 'about:blank' || u.startsWith('about:srcdoc') ? route.continue() : route.abort();
    });
    for (const p of pages) {
      const page = await context.newPage();
      const dialogs = [];
      page.on('dialog', async (d) => { dialogs.push(`${d.type()}(${JSON.stringify(d.message().slice(0, 80))})`); await d.dismiss().catch(() => {}); });
      let problems = 0;
      try {
        const resp = await page.goto(origin + p, { waitUntil: 'load', timeout: 30000 });
        const status = resp ? resp.status() : 0;
        if (status !== 200 && !p.endsWith('/404.html')) { fail(p, `HTTP ${status}`); problems++; }
        await page.waitForTimeout(300);
        if (!p.endsWith('.xml')) {
          await page.evaluate(provoke).catch((e) => { fail(p, `could not provoke handlers: ${e.message}`); problems++; });
          if (/\/search\/$/.test(p) && args.search) {
            const box = page.locator('#search-q');
            if (await box.count()) {
              await page.waitForFunction(() => !document.getElementById('search-form').hidden, null, { timeout: 10000 }).catch(() => {});
              await box.fill(args.search);
              await page.waitForTimeout(1500);
              const n = await page.locator('#search-results li').count();
              console.log(`  note ${p}: searching "${args.search}" shows ${n} result(s)`);
              await page.evaluate(provoke).catch(() => {});
            }
          }
        }
        for (const frame of page.frames()) {
          const r = await frame.evaluate(domFindings).catch(() => null);
          if (!r) continue;
          if (r.marker !== null) { totals.markers++; problems++; fail(p, `script marker window.__bwxss = ${JSON.stringify(r.marker)} in ${frame.url()}`); }
          for (const f of r.found) { totals.dom++; problems++; fail(p, `${f}${frame === page.mainFrame() ? '' : ` (frame ${frame.url()})`}`); }
        }
      } catch (e) {
        fail(p, `could not load: ${e.message.split('\n')[0]}`);
        problems++;
      }
      for (const d of dialogs) { totals.dialogs++; problems++; fail(p, `dialog ${d}`); }
      totals.pages++;
      if (problems) totals.failed++;
      else console.log(`  ok   ${p}`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`xss_pages=${totals.pages} xss_dialogs=${totals.dialogs} xss_markers=${totals.markers} xss_dom=${totals.dom} xss_failed=${totals.failed}`);
  process.exit(totals.failed ? 1 : 0);
}

main().catch((e) => { console.error(`xss: ${e.stack || e}`); process.exit(2); });
