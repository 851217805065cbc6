// A real CORS preflight: headless Chromium, on a page of another origin, calls the gateway with the headers
// browser instrumentation and GraphQL clients add (so the browser sends a preflight first), then with one
// header the gateway does not allow.
// Usage: node cors.mjs PAGE_URL GRAPHQL_URL
// PAGE_URL and GRAPHQL_URL must be different origins (e.g. http://localhost:P/health, http://127.0.0.1:P/graphql).
// Prints one JSON line: {"allowed": {status, requestId, data} | {error}, "refused": {...}}.
import { chromium } from "playwright-core";

const [pageUrl, graphqlUrl] = process.argv.slice(2);
const HEADERS = {
  "content-type": "application/json",
  "dj-api-key": "demo-tenant-key",
  "dj-client": "ACCOUNT",
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
  tracestate: "vendor=opaque",
  baggage: "session=abc",
  "x-request-id": "browser-preflight-1",
  "idempotency-key": "9b2f0c4e-6a39-4d0b-9d51-0b6f7c2f1a11",
  "apollographql-client-name": "storefront",
  "apollographql-client-version": "1.2.3",
};

// The network is cut off for the browser: nothing but loopback resolves, anything else goes to a closed port.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
    "--proxy-server=http://127.0.0.1:9",
  ],
});
try {
  const page = await browser.newPage();
  await page.goto(pageUrl);
  const call = (headers) =>
    page.evaluate(
      async ([url, headers]) => {
        try {
          const response = await fetch(url, {
            method: "POST",
            headers,
            body: JSON.stringify({ query: "{ viewer { clientType currency } }" }),
          });
          // Readable by the script only when the gateway exposes it.
          return { status: response.status, requestId: response.headers.get("x-request-id"), ...(await response.json()) };
        } catch (error) {
          return { error: String(error) };
        }
      },
      [graphqlUrl, headers],
    );
  const allowed = await call(HEADERS);
  const refused = await call({ ...HEADERS, "x-not-allowed": "1" });
  console.log(JSON.stringify({ origin: new URL(pageUrl).origin, allowed, refused }));
} finally {
  await browser.close();
}
