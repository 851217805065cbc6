// graphql-http's GraphQL-over-HTTP audit against a live gateway.
// Usage: node audit.mjs http://127.0.0.1:8000/graphql
// Every request carries the demo tenant's API key and client type (the gateway refuses any request without
// them, before GraphQL; that is authentication, not protocol). Prints one JSON line of counts and failures;
// exits 1 when a MUST or a SHOULD does not pass.
import { auditServer } from "graphql-http";

const url = process.argv[2];
const tenant = { "dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT" };
const fetchFn = (input, init = {}) => fetch(input, { ...init, headers: { ...tenant, ...(init.headers ?? {}) } });

const results = await auditServer({ url, fetchFn });
const level = (name) => name.split(" ")[0]; // "MUST", "SHOULD", "MAY"
const counts = {};
for (const r of results) {
  const key = level(r.name);
  counts[key] ??= { ok: 0, warn: 0, error: 0 };
  counts[key][r.status] += 1;
}
const failures = results
  .filter((r) => r.status !== "ok")
  .map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason }));
console.log(JSON.stringify({ total: results.length, counts, failures }));
process.exit(failures.some((f) => ["MUST", "SHOULD"].includes(level(f.name))) ? 1 : 0);
