// Size budget: the JavaScript the landing page loads (the entry script and every
// module it preloads, as listed in dist/index.html) must stay under the budget,
// gzipped. Run after `npm run build`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = Number(process.env.LANDING_JS_BUDGET_KB ?? 200);
const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");

const urls = new Set();
for (const match of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) urls.add(match[1]);
for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) urls.add(match[1]);
for (const match of html.matchAll(/<link[^>]*href="([^"]+)"[^>]*rel="modulepreload"/g)) urls.add(match[1]);
if (/<script(?![^>]*\ssrc=)[^>]*>\s*\S/.test(html)) {
  console.error("size: dist/index.html has an inline script; the CSP forbids it");
  process.exit(1);
}
if (urls.size === 0) {
  console.error("size: no script found in dist/index.html");
  process.exit(1);
}

let total = 0;
for (const url of urls) {
  const bytes = readFileSync(join(dist, url.replace(/^\//, "")));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  console.log(`  ${url}  ${(bytes.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`);
}
const kb = total / 1024;
console.log(`landing page JavaScript: ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (kb > BUDGET_KB) {
  console.error(`size: over budget by ${(kb - BUDGET_KB).toFixed(1)} KB; split more routes out of the entry chunk`);
  process.exit(1);
}
