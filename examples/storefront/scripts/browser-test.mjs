// The storefront in headless Chromium against a running gateway: every journey clicked through, what the page
// shows asserted (totals, issues, statuses), a screenshot of each step and an axe-core check of each page (no
// serious or critical violation). The built app (DIST) is served by `vite preview`, which forwards /graphql to
// the gateway (same origin for the browser).
//
//   node scripts/browser-test.mjs GATEWAY_URL SHOTS_DIR [--dist dist] [--trusted]
//
// --trusted: the gateway runs with DIST/persisted-documents.json (GATEWAY_TRUSTED_DOCUMENTS); every GraphQL
// request must carry an id and no document text, and the gateway must refuse a document outside the manifest.
// Prints one JSON line (steps, screenshots, axe results, seconds); exits 1 on the first failed check.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const [gateway, shots] = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--dist"));
if (!gateway || !shots) throw new Error("usage: node scripts/browser-test.mjs GATEWAY_URL SHOTS_DIR [--dist dist] [--trusted]");
const dist = option("--dist", "dist");
const trusted = flag("--trusted");
const started = Date.now();
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const report = { trusted, steps: [], screenshots: [], axe: {}, requests: 0, documentTexts: 0, reloads: 0 };
const check = (ok, message) => {
  if (!ok) throw new Error(`check failed: ${message}`);
};
const cents = (amount) => {
  const [whole, frac = ""] = String(amount).split(".");
  return BigInt(whole) * 100n + BigInt((frac + "00").slice(0, 2)) * (whole.startsWith("-") ? -1n : 1n);
};

// --- serve the built app ---------------------------------------------------------------------------------------
process.env.GATEWAY_URL = new URL(gateway).origin;
process.env.OUT_DIR = dist;
const { preview } = await import("vite");
const server = await preview({ configFile: resolve("vite.config.ts"), preview: { port: 0, strictPort: false, open: false }, logLevel: "warn" });
const app = server.resolvedUrls?.local[0]?.replace(/\/$/, "");
check(app, "vite preview gave no URL");

rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
let failed = null;
let page;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("framenavigated", (frame) => frame === page.mainFrame() && (report.reloads += 1));
  const operations = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(`${app}/graphql`)) return;
    const body = request.postDataJSON() ?? {};
    report.requests += 1;
    if (typeof body.query === "string") report.documentTexts += 1;
    operations.push(body.operationName ?? body.extensions?.persistedQuery?.sha256Hash ?? body.documentId ?? "?");
  });

  let n = 0;
  async function step(name, { axe = true, target = page } = {}) {
    n += 1;
    const file = join(shots, `${String(n).padStart(2, "0")}-${name}.png`);
    await target.screenshot({ path: file, fullPage: true });
    report.screenshots.push(file);
    report.steps.push(name);
    if (!axe) return;
    await target.addScriptTag({ content: AXE });
    const result = await target.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
    });
    report.axe[name] = result;
    const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
    check(bad.length === 0, `${name}: axe ${JSON.stringify(bad)}`);
  }
  const text = (selector) => page.locator(selector).first().innerText();
  const amountOf = async (testId) => page.locator(`[data-testid="${testId}"]`).first().getAttribute("data-amount");
  const visible = (selector, timeout = 30000) => page.locator(selector).first().waitFor({ state: "visible", timeout });
  async function choose(label, prefix) {
    const select = page.getByLabel(label);
    const options = await select.locator("option").evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    const found = options.find(([, t]) => t.startsWith(prefix));
    check(found, `${label}: no option ${prefix} in ${JSON.stringify(options)}`);
    await select.selectOption(found[0]);
  }
  // Click, then wait for the GraphQL answer the click caused (and React's render of it).
  async function act(name) {
    const answered = page.waitForResponse((r) => r.url().startsWith(`${app}/graphql`) && r.request().method() === "POST");
    await button(name).click();
    await answered;
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  }
  const button = (name) => page.getByRole("button", { name, exact: true });
  page.setDefaultTimeout(30000); // the CI machine runs the whole suite beside this test

  // Sign in: a wrong password answers the typed error on the page, then the right one.
  await page.goto(app);
  await page.getByLabel("Password").fill("wrong-password");
  await button("Sign in").click();
  await visible('[data-code="INVALID_CREDENTIALS"]');
  await step("signin-refused");
  await page.getByLabel("Password").fill("demo-password");
  await button("Sign in").click();
  await visible("text=Choose an account and a store");
  check((await page.getByLabel("Account").locator("option").allInnerTexts()).some((t) => t.includes("ACME")), "ACME offered");
  await step("account-and-store");
  await page.getByLabel("Store").selectOption("main");
  await button("Continue").click();

  // Catalog: the account's price, tiers, pack size, availability; search.
  await visible('[data-testid="catalog-count"]');
  check((await amountOf("price-PAPER-A4")) === "4.20", "ACME's account price of PAPER-A4");
  // ACME's own price replaces PAPER-A4's volume tiers (an account price); the pack size shows.
  check((await text('[data-testid="offer-PAPER-A4"]')).includes("Pack size\n5"), "PAPER-A4 sold by packs of 5");
  check((await text('[data-testid="availability-TONER-X"]')) === "unavailable", "TONER-X unavailable");
  await step("catalog");
  await page.getByLabel("Search products").fill("paper");
  await button("Search").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="catalog-count"]')?.textContent === "1 product");
  await step("catalog-search");
  await page.getByLabel("Search products").fill("");
  await button("Search").click();
  await visible('[data-testid="offer-PEN-BLUE"]');

  // Order-first checkout. A quantity that breaks PAPER-A4's pack size is refused next to the offer, then fixed.
  await page.getByLabel("Quantity of PAPER-A4").fill("7");
  await button("Add PAPER-A4 to draft").click();
  await visible('[data-testid="add-errors-PAPER-A4"] [data-code="QUANTITY_NOT_PACK_MULTIPLE"]');
  await step("pack-size-refused");
  await page.getByLabel("Quantity of PAPER-A4").fill("10");
  await button("Add PAPER-A4 to draft").click();
  await visible('[data-testid="offer-PAPER-A4"] >> text=/Added 10 to draft/');
  check((await page.locator('[data-testid="add-errors-PAPER-A4"]').count()) === 0, "pack-size error gone once fixed");
  await page.getByLabel("Quantity of PEN-BLUE").fill("20");
  await button("Add PEN-BLUE to draft").click();
  await visible('[data-testid="offer-PEN-BLUE"] >> text=/Added 20 to draft/');
  await step("pack-size-fixed");

  await button("Open working draft").click();
  await visible('[data-testid="line-PAPER-A4"]');
  const issues = await page.locator('[data-testid="issues"] li').evaluateAll((els) => els.map((e) => e.getAttribute("data-code")));
  check(issues.includes("SHIPPING_ADDRESS_REQUIRED") && issues.includes("BILLING_ADDRESS_REQUIRED"), `address issues: ${issues}`);
  await step("draft-with-issues");
  // A line changed to a quantity off its pack size: the refusal is shown on that line; then a good quantity.
  await page.getByLabel("Quantity of PAPER-A4").fill("12");
  await button("Update PAPER-A4").click();
  await visible('[data-testid="line-errors-PAPER-A4"] [data-code="QUANTITY_NOT_PACK_MULTIPLE"]');
  await step("line-pack-size-refused");
  await page.getByLabel("Quantity of PAPER-A4").fill("15");
  await button("Update PAPER-A4").click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="line-errors-PAPER-A4"]'));
  const paperTotal = await amountOf("line-total-PAPER-A4");
  check(paperTotal === "63.00", `15 x 4.20 = 63.00, shown ${paperTotal}`);
  await act("Sync prices and stock");
  check((await page.locator('[data-testid="draft-errors"]').count()) === 0, "sync without error");
  await choose("Shipping address", "ACME-HQ");
  await choose("Billing address", "ACME-HQ");
  await act("Save addresses");
  await visible('[data-testid="no-order-issues"]');
  await step("draft-ready");

  // Placement: the page shows the draft placed and split per supplier from the mutation's payload alone.
  const reloadsBefore = report.reloads;
  const requestsBefore = operations.length;
  await button("Place order").click();
  await visible('[data-testid="placed-status"]');
  check((await text('[data-testid="placed-status"]')) === "PLACED", "placed");
  const logistic = await page.locator('[data-testid="logistic-orders"] tbody tr').allInnerTexts();
  check(logistic.length === 2 && logistic.some((r) => r.includes("Nord")) && logistic.some((r) => r.includes("Sud")), `two logistic orders: ${logistic}`);
  check(report.reloads === reloadsBefore, "no reload");
  check(operations.length === requestsBefore + 1, `placement shown with no refetch (${operations.slice(requestsBefore)})`);
  const placedRef = await text('[data-testid="draft-reference"]');
  await step("placed-two-logistic-orders");
  await page.getByRole("button", { name: /^Open order / }).click();
  await visible('[data-testid="order-status"]');
  check((await text('[data-testid="order-reference"]')) === placedRef, "order page of the placed order");
  check((await page.locator('[data-testid="order-events"] li').count()) > 0, "order events");
  await step("order-detail");

  // Drafts from a quote and from an operation.
  await button("Draft orders").click();
  await button("Draft from quote Q-ACME-1").click();
  await visible('[data-testid="draft-status"]');
  check((await text('[data-testid="draft-status"]')) === "DRAFT_ON_HOLD", "quote draft on hold");
  // The quote's prices (TONER-X, out of stock, is left out with a warning).
  check((await text('[data-testid="line-NOTEBOOK"]')).includes("2.50 EUR") && (await text('[data-testid="line-PAPER-A4"]')).includes("3.90 EUR"), "the quote's prices");
  await step("draft-from-quote");
  await button("Draft orders").click();
  await button("Draft from operation OP-BACK-TO-SCHOOL").click();
  await visible('[data-testid="draft-view"] tbody tr');
  check((await text('[data-testid="draft-view"]')).includes("from operation"), "operation draft");
  await step("draft-from-operation");

  // Cart checkout: a voucher changes the total by exactly its amountSaved; a redirect payment approved.
  async function fillCart(sku, quantity) {
    await button("Catalog").click();
    await page.getByLabel(`Quantity of ${sku}`).fill(String(quantity));
    await button(`Add ${sku} to cart`).click();
    await visible(`[data-testid="offer-${sku}"] >> text=/Added ${quantity} to the cart/`);
    await button("Cart").click();
    await visible(`[data-testid="line-${sku}"]`);
  }
  async function checkout(payment) {
    await choose("Address (shipping and billing)", "ACME-HQ");
    await page.getByLabel("Shipping method").selectOption("standard");
    await page.getByLabel("Payment method").selectOption(payment);
    await page.getByRole("button", { name: /^Check out / }).click();
    await visible('[data-testid="order-status"]');
    return text('[data-testid="order-reference"]');
  }
  async function payOnSandbox(decision) {
    const popup = page.context().waitForEvent("page");
    await button("Pay on the payment page").click();
    const sandbox = await popup;
    await sandbox.waitForSelector(`#${decision}`);
    await step(`sandbox-page-${decision}`, { axe: false, target: sandbox });
    await sandbox.click(`#${decision}`);
    await visible('[data-testid="payment-outcome"]', 60000);
  }

  await fillCart("NOTEBOOK", 20);
  const before = { total: cents(await amountOf("total")), tax: cents(await amountOf("tax-total")) };
  await page.getByLabel("Voucher code").fill("EXPIRED10");
  await button("Apply voucher").click();
  await visible('[data-testid="voucher-errors"] [data-code="VOUCHER_EXPIRED"]');
  await step("voucher-refused");
  await page.getByLabel("Voucher code").fill("WELCOME10");
  await button("Apply voucher").click();
  await visible('[data-testid="voucher-applied"]');
  // amountSaved is before tax (docs/promotions.md): the total drops by exactly it plus the tax it no longer bears.
  const after = { total: cents(await amountOf("total")), tax: cents(await amountOf("tax-total")) };
  const saved = cents(await amountOf("amount-saved"));
  check(saved > 0n && before.total - after.total === saved + (before.tax - after.tax), `total ${before.total} -> ${after.total}, tax ${before.tax} -> ${after.tax}, amountSaved ${saved}`);
  report.voucher = { totalBefore: String(before.total), totalAfter: String(after.total), amountSaved: String(saved), taxBefore: String(before.tax), taxAfter: String(after.tax) };
  await step("voucher-applied");
  const approvedRef = await checkout("card-redirect");
  check((await text('[data-testid="order-status"]')) === "PAYMENT_PENDING", "waiting for the payment");
  await step("redirect-payment-pending");
  await payOnSandbox("approve");
  await page.waitForFunction(() => document.querySelector('[data-testid="payment-status"]')?.textContent === "PAID");
  check((await text('[data-testid="payment-outcome"]')).includes("approved"), "approved shown");
  check((await text('[data-testid="order-status"]')) === "PLACED", "paid order placed");
  check((await text('[data-testid="order-reference"]')) === approvedRef, "back on the same order");
  await step("redirect-payment-approved");

  // A redirect payment refused: the order is the cart again; paid then by a direct method (bank wire: placed,
  // awaiting the money), then by card on the provider's page (payOrder), approved.
  await fillCart("NOTEBOOK", 10);
  const refusedRef = await checkout("card-redirect");
  await payOnSandbox("refuse");
  check((await text('[data-testid="payment-outcome"]')).includes("refused"), "refused shown");
  check((await text('[data-testid="order-status"]')) === "DRAFT", "a refused checkout is a draft again");
  check((await text('[data-testid="order-reference"]')) === refusedRef, "back on the refused order");
  await step("redirect-payment-refused");
  await button("Back to the cart").click();
  await visible('[data-testid="line-NOTEBOOK"]');
  check((await text('[data-testid="draft-reference"]')) === refusedRef, "the refused order is the cart");
  const directRef = await checkout("bank-wire");
  check(directRef === refusedRef, "the same order placed");
  check((await text('[data-testid="order-status"]')) === "PLACED", "a direct payment places the order");
  check((await text('[data-testid="payment-status"]')) === "AWAITING_PAYMENT", "bank wire awaited");
  await step("direct-payment");
  await page.getByLabel("Pay with").selectOption("card-redirect");
  await button(`Pay order ${directRef}`).click();
  await visible('[data-testid="payment-status"] >> text=AUTHORIZATION_PENDING');
  await payOnSandbox("approve");
  await page.waitForFunction(() => document.querySelector('[data-testid="payment-status"]')?.textContent === "PAID");
  await step("pay-order-approved");

  // Order history: filtered and sorted, then one order's detail with its events.
  await button("Order history").click();
  await visible('[data-testid="orders-count"]');
  await page.getByLabel("Status").selectOption("PLACED");
  await page.getByLabel("Sort").selectOption("total-desc");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="orders"] tbody tr').length > 0 && !document.querySelector('[role="status"].loading'));
  const rows = await page.locator('[data-testid="orders"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ status: tr.children[1].textContent, total: tr.querySelector("[data-amount]").getAttribute("data-amount") })),
  );
  check(rows.length >= 3 && rows.every((r) => r.status === "PLACED"), `placed orders only: ${JSON.stringify(rows)}`);
  const totals = rows.map((r) => cents(r.total));
  check(totals.every((t, i) => i === 0 || totals[i - 1] >= t), `sorted by total, highest first: ${rows.map((r) => r.total)}`);
  await step("order-history");
  await page.locator('[data-testid="orders"] tbody tr button').first().click();
  await visible('[data-testid="order-events"] li');
  await step("order-history-detail");

  check(consoleErrors.length === 0, `browser console errors: ${consoleErrors.join(" | ")}`);
  if (trusted) {
    check(report.documentTexts === 0 && report.requests > 0, `${report.documentTexts} of ${report.requests} requests sent a document text`);
    const refused = await fetch(`${gateway}`, {
      method: "POST",
      headers: { "content-type": "application/json", "dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT" },
      body: JSON.stringify({ query: "{ viewer { currency } }" }),
    });
    report.outsideManifest = refused.status;
    check(refused.status === 400, `a document outside the manifest answered ${refused.status}`);
  }
} catch (error) {
  failed = String(error?.stack ?? error);
  if (page) await page.screenshot({ path: join(shots, "failure.png"), fullPage: true }).catch(() => {});
} finally {
  await browser.close();
  await server.close();
}
report.seconds = Math.round((Date.now() - started) / 100) / 10;
const impacts = {};
for (const violations of Object.values(report.axe)) for (const v of violations) impacts[v.impact] = (impacts[v.impact] ?? 0) + v.nodes;
report.axeImpacts = impacts;
console.log(JSON.stringify({ ...report, failed }));
process.exit(failed ? 1 : 0);
