// The paid loop in a real browser, as a new buyer walks it, against a running paidloop
// that serves the built SPA with local sign-in and the demo catalog (scripts/test-frontend
// sets that up):
//   sign in → catalog → product → buy → signed payment webhook (`paidloop dev pay`) →
//   the product page and purchases show it fulfilled without a reload → downloads shows
//   the grant and its link returns the file's bytes → a service purchase shows up as a
//   work order in bookings.
// Every page gets an axe-core check (no serious or critical violation, light and dark)
// and screenshots at 1280 and 390 px (and 1280 dark) under test-results/. Any console error, failed
// request, HTTP error answer or uncaught exception fails the walk.
//
// Env: E2E_BASE_URL (required), PAIDLOOP_BIN (for `dev pay`; run with the server's
// env), CHROMIUM_PATH (default /usr/bin/chromium), E2E_HEADFUL=1 to watch.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const BASE = (process.env.E2E_BASE_URL ?? "").replace(/\/$/, "");
const BIN = process.env.PAIDLOOP_BIN ?? "";
if (!BASE || !BIN) {
  console.error("e2e: set E2E_BASE_URL and PAIDLOOP_BIN");
  process.exit(2);
}
const OUT = fileURLToPath(new URL("../test-results/", import.meta.url));
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const problems = [];
const started = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

const userDataDir = mkdtempSync(join(tmpdir(), "paidloop-chromium-"));
// A fresh profile each run, as the machine's Chromium needs (no background traffic).
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: process.env.E2E_HEADFUL !== "1",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1280, height: 900 },
  acceptDownloads: true,
});

let exitCode = 0;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);

  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
  page.on("requestfailed", (req) => {
    const failure = req.failure()?.errorText ?? "";
    // A download hands the response over to the download manager, which Chromium
    // reports as an aborted request; the bytes are checked separately below.
    if (failure === "net::ERR_ABORTED" && req.url().includes("/api/downloads/local/")) return;
    problems.push(`request failed: ${req.method()} ${req.url()} (${failure})`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
  });

  const seen = new Set();
  async function check(name) {
    await page.waitForLoadState("networkidle");
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        }));
      });
      for (const v of result) {
        if (v.impact === "serious" || v.impact === "critical") {
          problems.push(`axe ${v.impact} on ${name} (${scheme}): ${v.id}: ${v.help} at ${v.nodes.join(", ")}`);
        } else {
          log(`axe ${v.impact} (allowed) on ${name} (${scheme}): ${v.id}`);
        }
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    if (!seen.has(name)) {
      seen.add(name);
      const index = String(seen.size).padStart(2, "0");
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: join(OUT, `${index}-${name}-${width}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.screenshot({ path: join(OUT, `${index}-${name}-1280-dark.png`), fullPage: true });
      await page.emulateMedia({ colorScheme: "light" });
    }
    log(`checked ${name}`);
  }

  function pay(publicId) {
    const out = execFileSync(BIN, ["dev", "pay", publicId], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    log(`paid ${publicId}: ${out.trim().split("\n").pop()}`);
  }

  async function nav(name) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
  }

  async function buy(productName) {
    await nav("Catalog");
    await page.getByRole("link", { name: productName, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: productName }).waitFor();
    await check(`product-${productName.toLowerCase().replace(/\s+/g, "-")}`);
    await page.getByRole("button", { name: "Buy now" }).click();
    const pending = page.getByTestId("order-pending");
    await pending.waitFor();
    const publicId = (await pending.locator("code").first().textContent())?.trim() ?? "";
    if (!/^[0-9a-f-]{36}$/.test(publicId)) throw new Error(`no order id on the pending panel: ${publicId}`);
    log(`order ${publicId} pending for ${productName}`);
    return publicId;
  }

  // Landing, pricing, catalog: public pages.
  await page.goto(`${BASE}/`);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await check("landing");

  await page.getByRole("link", { name: "Pricing", exact: true }).click();
  await page.getByRole("heading", { name: "Plans" }).waitFor();
  await check("pricing");

  await nav("Catalog");
  await page.getByRole("link", { name: "Launch Playbook", exact: true }).waitFor();
  await check("catalog");

  // Sign in as a brand-new buyer.
  await page.getByRole("link", { name: "Sign in", exact: true }).first().click();
  await page.getByLabel("User id").waitFor();
  await check("sign-in");
  await page.getByLabel("User id").fill(`user_e2e_${Date.now()}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: /^Welcome/ }).waitFor();
  await page.getByText("You do not own anything yet").waitFor();
  await check("dashboard");

  // A digital product: buy, pay by webhook, see it fulfilled without a reload.
  const digitalOrder = await buy("Launch Playbook");
  await check("product-pending");
  pay(digitalOrder);
  await page.getByTestId("order-fulfilled").waitFor({ timeout: 20_000 });
  log("the product page shows the order fulfilled");
  await check("product-fulfilled");

  await nav("Purchases");
  await page.getByTestId(`order-${digitalOrder}`).getByText("Fulfilled").waitFor();
  await check("purchases");

  // Downloads: the grant, and its signed link returns the file's bytes.
  await nav("Downloads");
  const button = page.getByRole("button", { name: "Download Launch Playbook (PDF)" });
  await button.waitFor();
  await check("downloads");
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const file = await download.path();
  const bytes = readFileSync(file, "utf8");
  const expected = "Paidloop demo file: demo/launch-playbook/playbook.pdf\n";
  if (bytes !== expected) throw new Error(`downloaded ${JSON.stringify(bytes)}, expected ${JSON.stringify(expected)}`);
  const href = await page.getByTestId("download-link").getAttribute("href");
  const again = await page.request.get(new URL(href ?? "", BASE).toString());
  if (again.status() !== 200 || (await again.text()) !== expected) {
    throw new Error(`the download link answered ${again.status()}`);
  }
  await page.getByText("4 of 5 downloads left").waitFor();
  log("the download link returned the file's bytes");

  // A service: buy, pay, and find the work order under bookings.
  const serviceOrder = await buy("Launch Review Call");
  pay(serviceOrder);
  await page.getByTestId("order-fulfilled").waitFor({ timeout: 20_000 });
  await nav("Bookings");
  await page.getByTestId("work-order").filter({ hasText: "Launch Review Call" }).waitFor();
  await check("bookings");

  // Profile: save billing details.
  await nav("Profile");
  await page.getByLabel("Full name").fill("Bea Buyer");
  await page.getByLabel("Country").fill("de");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByTestId("toast").filter({ hasText: "Profile saved." }).waitFor();
  if ((await page.getByLabel("Country").inputValue()) !== "DE") throw new Error("the country was not normalised to DE");
  await check("profile");

  await nav("Dashboard");
  await page.getByRole("heading", { name: /^Welcome/ }).waitFor();
  await check("dashboard-owner");

  await page.goto(`${BASE}/no-such-page`);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await check("not-found");

} catch (err) {
  problems.push(`walk failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`\ne2e: ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  - ${p}`);
  exitCode = 1;
} else {
  log(`the paid loop passed; screenshots in ${OUT}`);
}
process.exit(exitCode);
