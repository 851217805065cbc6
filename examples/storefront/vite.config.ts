import { readFileSync } from "node:fs";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The gateway the dev server and `vite preview` forward /graphql to (same origin for the browser: no CORS).
const gateway = process.env.GATEWAY_URL ?? "http://127.0.0.1:8000";
const proxy = { "/graphql": { target: gateway, changeOrigin: true } };

// The trusted-documents manifest of this build: graphql-codegen's persisted documents, cut to the ids the
// bundle holds, so the gateway run with it accepts exactly what this app sends.
function persistedManifest(): Plugin {
  return {
    name: "persisted-documents-manifest",
    apply: "build",
    generateBundle(_options, bundle) {
      const all = JSON.parse(readFileSync("src/gql/persisted-documents.json", "utf8")) as Record<string, string>;
      const code = Object.values(bundle)
        .map((item) => (item.type === "chunk" ? item.code : ""))
        .join("\n");
      const used = Object.fromEntries(Object.entries(all).filter(([id]) => code.includes(id)));
      const hashes = new Set(code.match(/sha256:[0-9a-f]{64}/g) ?? []);
      const unknown = [...hashes].filter((id) => !(id in all));
      if (unknown.length) this.error(`the bundle names documents missing from the manifest: ${unknown.join(", ")}`);
      this.emitFile({ type: "asset", fileName: "persisted-documents.json", source: JSON.stringify(used, null, 2) + "\n" });
      console.log(`persisted-documents.json: ${Object.keys(used).length} of ${Object.keys(all).length} documents`);
    },
  };
}

export default defineConfig({
  plugins: [react(), persistedManifest()],
  server: { host: "127.0.0.1", port: 5173, proxy, fs: { allow: [".", "../cache"] } },
  preview: { host: "127.0.0.1", port: 4173, proxy },
  // One chunk (React, urql, Graphcache with the schema): its gzip size is what scripts/size.mjs prints.
  build: { outDir: process.env.OUT_DIR ?? "dist", emptyOutDir: true, chunkSizeWarningLimit: 800 },
});
