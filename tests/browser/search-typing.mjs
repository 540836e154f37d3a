// Types a query into the search page in headless Chromium and checks that a result links to the
// expected page (issue 6). Driven by tests/testsuite/publish.rs; needs only node (18+) and Chromium: it
// talks the DevTools protocol over --remote-debugging-pipe, so no npm package is required.
//
//   node tests/browser/search-typing.mjs CHROMIUM URL QUERY EXPECTED_HREF
//
// Prints the status line and the result links as JSON; exits 0 when EXPECTED_HREF is among them.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [chrome, url, query, expected] = process.argv.slice(2);
if (!expected) {
  console.error("usage: search-typing.mjs CHROMIUM URL QUERY EXPECTED_HREF");
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), "briefwerk-chromium-"));
const browser = spawn(chrome, [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
  "--remote-debugging-pipe", `--user-data-dir=${profile}`, "about:blank",
], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
let stderr = "";
browser.stderr.on("data", (d) => { stderr += d; });

const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];
let nextId = 0;
const pending = new Map();
let buffer = "";
fromBrowser.on("data", (chunk) => {
  buffer += chunk;
  let end;
  while ((end = buffer.indexOf("\0")) >= 0) {
    const msg = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (msg.id !== undefined && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  }
});

function send(method, params = {}, sessionId) {
  return new Promise((resolve, reject) => {
    const id = ++nextId;
    pending.set(id, (msg) => (msg.error ? reject(new Error(`${method}: ${msg.error.message}`)) : resolve(msg.result)));
    toBrowser.write(JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params }) + "\0");
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  const evaluate = async (expression) =>
    (await send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, sessionId)).result.value;
  const waitFor = async (expression, what) => {
    for (let i = 0; i < 100; i++) {
      if (await evaluate(expression)) return;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  await send("Page.enable", {}, sessionId);
  await send("Page.navigate", { url }, sessionId);
  await waitFor("document.readyState === 'complete'", "the page");
  // The form is shown and the filters filled once the manifest has loaded.
  await waitFor("!document.getElementById('search-form').hidden && document.getElementById('search-year').options.length > 1",
    "the search index manifest");
  await evaluate("document.getElementById('search-q').focus()");
  for (const ch of query) {
    await send("Input.dispatchKeyEvent", { type: "keyDown", key: ch, text: ch, unmodifiedText: ch }, sessionId);
    await send("Input.dispatchKeyEvent", { type: "keyUp", key: ch }, sessionId);
  }
  await waitFor("/result/i.test(document.getElementById('search-status').textContent)", "the result count");
  const status = await evaluate("document.getElementById('search-status').textContent");
  const links = await evaluate("Array.from(document.querySelectorAll('#search-results a')).map(a => a.getAttribute('href'))");
  const typed = await evaluate("document.getElementById('search-q').value");
  console.log(JSON.stringify({ typed, status, links }));
  return typed === query && links.includes(expected);
}

let ok = false;
try {
  ok = await main();
} catch (e) {
  console.log(`error: ${e.message}`);
  console.error(stderr);
} finally {
  browser.kill();
  await sleep(200);
  rmSync(profile, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
