// `npm run demo`: the storefront beside a demo gateway, in trusted-documents mode as in production.
// Builds the app (its manifest with it), starts `commerce-gateway serve --demo` from the repository's .venv on a
// fresh SQLite database with GATEWAY_TRUSTED_DOCUMENTS set to that manifest, and serves the app with
// `vite preview` (which forwards /graphql to the gateway). Ctrl-C stops both.
// Environment: GATEWAY_PORT (default 8000), PORT (the app, default 4173).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve("..", "..");
const cli = join(root, ".venv", "bin", "commerce-gateway");
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run the README's set-up command at the repository root first.`);
  process.exit(1);
}
const gatewayPort = process.env.GATEWAY_PORT ?? "8000";
const appPort = Number(process.env.PORT ?? 4173);
execFileSync("npm", ["run", "build"], { stdio: "inherit" });

const data = mkdtempSync(join(tmpdir(), "storefront-demo-"));
const gateway = spawn(cli, ["serve", "--demo", "--port", gatewayPort], {
  cwd: data,
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    ...process.env,
    GATEWAY_DATABASE_URL: `sqlite+aiosqlite:///${join(data, "demo.db")}`,
    GATEWAY_TRUSTED_DOCUMENTS: resolve("dist", "persisted-documents.json"),
    GATEWAY_LOG_LEVEL: "warning",
  },
});
const stop = () => {
  gateway.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
gateway.on("exit", (code) => {
  console.error(`the gateway stopped (exit ${code})`);
  process.exit(1);
});

const url = `http://127.0.0.1:${gatewayPort}`;
for (let i = 0; ; i += 1) {
  try {
    if ((await fetch(`${url}/health`)).ok) break;
  } catch {
    if (i > 300) throw new Error(`no gateway at ${url}`);
  }
  await new Promise((r) => setTimeout(r, 200));
}
process.env.GATEWAY_URL = url;
const { preview } = await import("vite");
const server = await preview({ configFile: resolve("vite.config.ts"), preview: { port: appPort, strictPort: true } });
console.log(`\ndemo gateway ${url} (trusted documents: dist/persisted-documents.json)`);
console.log(`storefront   ${server.resolvedUrls?.local[0]}  sign in as buyer@acme.example / demo-password\n`);
