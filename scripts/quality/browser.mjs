#!/usr/bin/env node
// Accessibility and rendering gates in a real browser (Debian's headless Chromium, driven by
// playwright-core; never a downloaded browser).
//
//   node browser.mjs --root DIR --port PORT [--pages name=/path/,...] [--shots DIR]
//
// Serves DIR on http://127.0.0.1:PORT/ (build the site with --base-url http://127.0.0.1:PORT/),
// then for every page:
//   - axe-core (node_modules/axe-core/axe.min.js injected into the page) at 1280 and 390 px:
//     every serious or critical violation is printed and counted;
//   - screenshots at 1280 and 390 px (full page) saved as SHOTS/<name>-<width>.png, and one in
//     print emulation SHOTS/<name>-print.png; checks: the page is not blank (innerText > 200
//     characters and the visible screenshot is not a single colour), no horizontal scroll at
//     390 px, and the print stylesheet is applied (some computed style differs from screen).
// Prints one line per check and, last, `axe_serious=N screenshots_ok=N screenshots_failed=N
// print_ok=N print_failed=N pages_skipped=N pages_failed=N console_errors=N external_requests=N`. Exits 1 when anything failed, 2 when it could not
// run at all.
//
// Default pages: home, an incident, a group, a country, the chronology, the first briefing and
// the search page; a page that answers 404 is skipped with a message only if it is `search`.

import { createServer } from 'node:http';
import { readFile, stat, mkdir, writeFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const rel = (f) => (f.startsWith(repo + path.sep) ? path.relative(repo, f) : f);

function parseArgs(argv) {
  const a = { root: null, port: 0, pages: null, shots: path.resolve(here, '../../target/screenshots'), chromium: '/usr/bin/chromium' };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i];
    const v = () => argv[++i];
    if (k === '--root') a.root = path.resolve(v());
    else if (k === '--port') a.port = Number(v());
    else if (k === '--pages') a.pages = v();
    else if (k === '--shots') a.shots = path.resolve(v());
    else if (k === '--chromium') a.chromium = v();
    else { console.error(`unknown argument ${k}`); process.exit(2); }
  }
  if (!a.root) { console.error('usage: node browser.mjs --root DIR --port PORT [--pages name=/path/,...] [--shots DIR]'); process.exit(2); }
  return a;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8', '.geojson': 'application/geo+json', '.pdf': 'application/pdf',
};

// A static server like any static host: `/dir/` serves dir/index.html, misses get 404.html.
function serve(root, port) {
  const requests = { count: 0, missing: [] };
  const server = createServer(async (req, res) => {
    requests.count++;
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
      requests.missing.push(req.headers.referer ? `${p} (from ${new URL(req.headers.referer).pathname})` : p);
      const nf = path.join(root, '404.html');
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(existsSync(nf) ? await readFile(nf) : 'not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, requests, port: server.address().port }));
  });
}

async function defaultPages(root) {
  const pages = [
    ['home', '/'],
    ['incident', '/incidents/2017-06-18-kangaba/'],
    ['group', '/groups/jnim/'],
    ['country', '/countries/ml/'],
    ['chronology', '/chronology/'],
  ];
  let briefing = null;
  try {
    const dirs = (await readdir(path.join(root, 'briefings'), { withFileTypes: true }))
      .filter((d) => d.isDirectory() && existsSync(path.join(root, 'briefings', d.name, 'index.html')) && !/^(page|\d+)$/.test(d.name))
      .map((d) => d.name).sort();
    if (dirs.length) briefing = `/briefings/${dirs[0]}/`;
  } catch { /* reported below */ }
  pages.push(['briefing', briefing || '/briefings/(none found)/']);
  pages.push(['search', '/search/']);
  return pages;
}

// Counts the distinct colours of a PNG, decoded by the browser itself (no image library needed).
async function colourCount(decoderPage, png) {
  return decoderPage.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length && seen.size < 1000; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, png.toString('base64'));
}

// Computed styles that a print stylesheet typically changes.
function styleSignature() {
  const pick = (sel) => Array.from(document.querySelectorAll(sel)).slice(0, 20);
  const els = [document.body, ...pick('header, nav, footer, main, aside, a, h1, .skip-link, [role=navigation], [role=banner], [role=contentinfo]')];
  const props = ['display', 'visibility', 'color', 'background-color', 'font-size', 'font-family', 'margin-left', 'max-width', 'width', 'position', 'box-shadow', 'border-top-width'];
  return els.map((e) => { const s = getComputedStyle(e); return e.tagName + ':' + props.map((p) => s.getPropertyValue(p)).join('|'); });
}

function hasPrintRules() {
  let n = 0;
  const walk = (rules) => {
    for (const r of rules) {
      if (r.media && Array.from(r.media).some((m) => /print/.test(m))) n++;
      if (r.cssRules) { try { walk(r.cssRules); } catch { /* cross-origin */ } }
    }
  };
  for (const sh of document.styleSheets) {
    if (sh.media && Array.from(sh.media).some((m) => /print/.test(m))) n++;
    try { walk(sh.cssRules); } catch { /* cross-origin */ }
  }
  return n;
}

// The elements sticking out to the right, for the no-horizontal-scroll message.
function widest(limit) {
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.right > limit + 1 && r.width > 0) {
      const kids = Array.from(e.children).some((k) => k.getBoundingClientRect().right > limit + 1);
      if (!kids) out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''} (right edge ${Math.round(r.right)}px)`);
    }
    if (out.length >= 5) break;
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv);
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    console.error(`browser: playwright-core is not installed (run npm ci in scripts/quality): ${e.message}`);
    process.exit(2);
  }
  const axePath = path.join(here, 'node_modules/axe-core/axe.min.js');
  if (!existsSync(args.chromium)) { console.error(`browser: no Chromium at ${args.chromium} (apt-get install chromium)`); process.exit(2); }
  if (!existsSync(axePath)) { console.error(`browser: no ${axePath} (run npm ci in scripts/quality)`); process.exit(2); }

  const { server, requests, port } = await serve(args.root, args.port);
  const origin = `http://127.0.0.1:${port}`;
  const pages = args.pages
    ? args.pages.split(',').map((s) => { const [n, p] = s.split('='); return [n, p]; })
    : await defaultPages(args.root);
  await mkdir(args.shots, { recursive: true });

  const browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const failures = [];
  const totals = { axe: 0, axeMinor: 0, shotsOk: 0, shotsFailed: 0, printOk: 0, printFailed: 0, skipped: 0, pagesFailed: 0, console: 0, external: new Set() };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    // Any request that leaves 127.0.0.1 is an external request the theme must not make.
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank') return route.continue();
      totals.external.add(u);
      return route.abort();
    });
    const decoder = await context.newPage();
    await decoder.setContent('<!DOCTYPE html><title>decoder</title>');

    for (const [name, p] of pages) {
      const page = await context.newPage();
      const consoleErrors = [];
      page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
      page.on('pageerror', (e) => consoleErrors.push(String(e)));
      const url = origin + p;
      await page.setViewportSize({ width: 1280, height: 900 });
      const resp = await page.goto(url, { waitUntil: 'load' });
      const status = resp ? resp.status() : 0;
      if (status !== 200) {
        if (name === 'search' && status === 404) {
          console.log(`  SKIP ${name} ${p}: 404 (no search page built yet)`);
          totals.skipped++;
          await page.close();
          continue;
        }
        failures.push(`${name} ${p}: HTTP ${status}`);
        console.log(`  FAIL ${name} ${p}: HTTP ${status}`);
        totals.shotsFailed += 2;
        totals.pagesFailed++;
        await page.close();
        continue;
      }

      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await page.emulateMedia({ media: 'screen' });
        // axe
        if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ path: axePath });
        const res = await page.evaluate(async () => {
          const r = await window.axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 160), summary: (n.failureSummary || '').split('\n').slice(1, 2).join(' ').trim() })) }));
        });
        for (const v of res) {
          const serious = v.impact === 'serious' || v.impact === 'critical';
          const n = v.nodes.length;
          if (serious) {
            totals.axe += n;
            failures.push(`${name} ${p} @${width}: axe ${v.impact} ${v.id}`);
          } else totals.axeMinor += n;
          console.log(`  ${serious ? 'FAIL' : 'note'} ${name} ${p} @${width}px axe ${v.impact} ${v.id}: ${v.help} (${n} element${n === 1 ? '' : 's'})`);
          for (const node of v.nodes.slice(0, serious ? 5 : 2)) console.log(`         ${node.target}  ${node.html}${node.summary ? '  — ' + node.summary : ''}`);
        }

        // rendering
        const problems = [];
        const info = await page.evaluate(() => ({
          text: (document.body ? document.body.innerText : '').trim().length,
          scrollWidth: document.documentElement.scrollWidth,
        }));
        const view = await page.screenshot({ fullPage: false });
        const colours = await colourCount(decoder, view);
        const file = path.join(args.shots, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        if (info.text <= 200) problems.push(`blank: only ${info.text} characters of text`);
        if (colours <= 1) problems.push('blank: the screenshot is a single colour');
        if (width === 390 && info.scrollWidth > 390) {
          const w = await page.evaluate(widest, 390);
          problems.push(`horizontal scroll at 390px (scrollWidth ${info.scrollWidth}px): ${w.join(', ')}`);
        }
        if (problems.length) {
          totals.shotsFailed++;
          failures.push(`${name} ${p} @${width}: ${problems.join('; ')}`);
          console.log(`  FAIL ${name} ${p} @${width}px: ${problems.join('; ')}  [${rel(file)}]`);
        } else {
          totals.shotsOk++;
          console.log(`  ok   ${name} ${p} @${width}px: ${info.text} chars, ${colours}${colours >= 1000 ? '+' : ''} colours, scrollWidth ${info.scrollWidth}px  [${rel(file)}]`);
        }
      }

      // print
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ media: 'screen' });
      const screenSig = await page.evaluate(styleSignature);
      const rules = await page.evaluate(hasPrintRules);
      await page.emulateMedia({ media: 'print' });
      const printSig = await page.evaluate(styleSignature);
      const changed = screenSig.filter((s, i) => s !== printSig[i]).length;
      const printFile = path.join(args.shots, `${name}-print.png`);
      await page.screenshot({ path: printFile, fullPage: true });
      if (changed > 0) {
        totals.printOk++;
        console.log(`  ok   ${name} ${p} print: ${rules} print rule${rules === 1 ? '' : 's'}, ${changed} element${changed === 1 ? '' : 's'} styled differently  [${rel(printFile)}]`);
      } else {
        totals.printFailed++;
        failures.push(`${name} ${p}: print stylesheet not applied`);
        console.log(`  FAIL ${name} ${p} print: no computed style differs from screen (${rules} print rules found)`);
      }
      if (consoleErrors.length) {
        totals.console += consoleErrors.length;
        failures.push(`${name} ${p}: ${consoleErrors.length} console error(s)`);
        for (const e of consoleErrors.slice(0, 5)) console.log(`  FAIL ${name} ${p} console: ${e}`);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (totals.external.size) {
    failures.push(`${totals.external.size} external request(s)`);
    for (const u of totals.external) console.log(`  FAIL external request (blocked): ${u}`);
  }
  if (requests.missing.length) {
    // The link gate reports these with file and line; here they only explain a broken render.
    console.log(`  note ${requests.missing.length} request(s) answered 404: ${[...new Set(requests.missing)].slice(0, 10).join(', ')}`);
  }
  console.log(`axe_serious=${totals.axe} axe_minor=${totals.axeMinor} screenshots_ok=${totals.shotsOk} screenshots_failed=${totals.shotsFailed} print_ok=${totals.printOk} print_failed=${totals.printFailed} pages_skipped=${totals.skipped} pages_failed=${totals.pagesFailed} console_errors=${totals.console} external_requests=${totals.external.size}`);
  await writeFile(path.join(args.shots, 'summary.txt'), failures.join('\n') + '\n');
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => { console.error(`browser: ${e.stack || e}`); process.exit(2); });
