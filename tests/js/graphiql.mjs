// GraphiQL offline in headless Chromium: the page renders from the gateway's own assets, introspects the
// schema and runs `viewer`, with every request to another host refused.
// Usage: node graphiql.mjs http://127.0.0.1:8000/graphql screenshot.png
// Prints one JSON line of what it saw; exits 1 when a check fails.
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
const origin = new URL(url).origin;
const VIEWER = "{\n  viewer {\n    clientType\n    store { externalId }\n    currency\n  }\n}\n";

// The network is cut off for the browser: names resolve to nothing but loopback, anything not on loopback
// goes to a closed proxy port, and the page's own requests to another origin are refused and recorded.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
  ],
});
const report = { offline: true, external: [], consoleErrors: [] };
let failed = null;
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  await context.route("**/*", (route) => {
    const target = route.request().url();
    if (target.startsWith(origin) || target.startsWith("data:")) return route.continue();
    report.external.push(target);
    return route.abort("internetdisconnected");
  });
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && report.consoleErrors.push(m.text()));

  const introspection = page.waitForResponse(
    (r) => r.url().startsWith(url) && r.request().method() === "POST" && (r.request().postData() ?? "").includes("__schema"),
    { timeout: 30000 },
  );
  await page.goto(`${url}?q=${encodeURIComponent(VIEWER)}`, { waitUntil: "load" });
  const schema = await (await introspection).json();
  report.introspected = Boolean(schema?.data?.__schema?.queryType?.name);
  await page.waitForSelector(".graphiql-execute-button", { timeout: 30000 });
  report.rendered = true;

  report.headersTab = await page.locator(".graphiql-editor-tool").innerText();
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(
    () => (document.querySelector(".result-window")?.textContent ?? "").includes("clientType"),
    null,
    { timeout: 30000 },
  );
  report.result = await page.locator(".result-window").innerText();
  report.viewer = report.result.includes('"clientType": "ACCOUNT"') && report.result.includes('"externalId": "main"');

  const explorer = page.locator('button[aria-label="Show GraphiQL Explorer"]');
  if ((await explorer.count()) > 0) await explorer.first().click();
  report.explorer = (await page.locator(".graphiql-explorer-root, .docExplorerWrap").count()) > 0;

  // The headers (where a bearer token goes) stay in memory: nothing of them in local storage.
  report.headersInLocalStorage = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => (localStorage.getItem(k) ?? "").includes("demo-tenant-key"))
      .map((k) => { const v = localStorage.getItem(k); const i = v.indexOf("demo-tenant-key"); return `${k}: ${v.slice(Math.max(0, i - 200), i + 40)}`; }),
  );
  await page.screenshot({ path: screenshot });
  report.screenshot = screenshot;

  const checks = {
    introspected: report.introspected,
    rendered: report.rendered,
    viewer: report.viewer,
    explorer: report.explorer,
    "headers pre-filled": report.headersTab.includes("demo-tenant-key"),
    "headers not in local storage": report.headersInLocalStorage.length === 0,
    "no request left the machine": report.external.length === 0,
  };
  report.checks = checks;
  const bad = Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
  if (bad.length) failed = `failed: ${bad.join(", ")}`;
} catch (error) {
  failed = String(error);
} finally {
  await browser.close();
}
console.log(JSON.stringify({ ...report, failed }));
process.exit(failed ? 1 : 0);
