// Persisted documents as the real tools write them and as their clients send them (tests/test_trusted_documents.py).
//
//   node persisted.mjs generate OUT
//     Runs graphql-codegen (client preset, persistedDocuments: true), Apollo's generate-persisted-query-manifest
//     and relay-compiler (persistConfig, local file, MD5 then SHA256) over persisted/src/Storefront.js and
//     ../../schema.graphql, each in its own project folder under OUT. Prints one JSON line:
//     {"<tool>": {"dir", "manifest", "ids": {"<operation>": "<id its client sends>"}}}.
//   node persisted.mjs client TOOL DIR URL
//     Runs StorefrontShelfQuery and StorefrontViewerQuery against URL the way TOOL's client does, with the
//     documents generated in DIR: codegen, the client preset's documents' `__meta__.hash` as `documentId`
//     (POST, and GET per the GraphQL-over-HTTP persisted documents appendix) and as Apollo's link would send it;
//     apollo, Apollo Client 4 with PersistedQueryLink and the manifest's ids (POST, then GET); relay,
//     relay-runtime's fetchQuery with the generated artifacts and the network layer of Relay's persisted queries
//     guide (`doc_id`). Prints {"requests": [{method, status, body|query}], "results": {...}}.
//   node persisted.mjs apq URL
//     Automatic persisted queries with Apollo Client 4's PersistedQueryLink (sha256 of the printed document):
//     two clients in turn run StorefrontShelfQuery. Prints {"first": [...requests], "second": [...requests]}.
//
// Every request carries the demo tenant's API key and client type.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const BIN = join(HERE, "node_modules", ".bin");
const TENANT = { "dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT" };
const VARIABLES = { StorefrontShelfQuery: { search: "paper" }, StorefrontViewerQuery: {} };

// --- generation ---------------------------------------------------------------------------------------------

function project(out, name) {
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(HERE, "persisted", "src"), join(dir, "src"), { recursive: true });
  cpSync(join(ROOT, "schema.graphql"), join(dir, "schema.graphql"));
  // The tools resolve their presets and plugins from the project's node_modules.
  symlinkSync(join(HERE, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

function run(dir, bin, args = []) {
  execFileSync(join(BIN, bin), args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
}

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

function codegen(out) {
  const dir = project(out, "codegen");
  const config = {
    schema: "./schema.graphql",
    documents: ["src/**/*.js"],
    generates: { "./gql/": { preset: "client", presetConfig: { persistedDocuments: true } } },
  };
  writeFileSync(join(dir, "codegen.json"), JSON.stringify(config, null, 2));
  run(dir, "graphql-codegen", ["--config", "codegen.json"]);
  return { dir, manifest: join(dir, "gql", "persisted-documents.json"), ids: codegenHashes(dir) };
}

// The client preset embeds each document's manifest id in the generated document (`__meta__.hash`).
function codegenHashes(dir) {
  const source = readFileSync(join(dir, "gql", "graphql.ts"), "utf8");
  const ids = {};
  for (const [, name, json] of source.matchAll(/export const (\w+)Document = (\{.*\}) as unknown as/g)) {
    ids[name] = JSON.parse(json).__meta__.hash;
  }
  return ids;
}

function apollo(out) {
  const dir = project(out, "apollo");
  const config = { documents: ["src/**/*.js"], output: "persisted-query-manifest.json" };
  writeFileSync(join(dir, "persisted-query-manifest.config.json"), JSON.stringify(config, null, 2));
  run(dir, "generate-persisted-query-manifest");
  const manifest = join(dir, "persisted-query-manifest.json");
  const ids = Object.fromEntries(readJson(manifest).operations.map((op) => [op.name, op.id]));
  return { dir, manifest, ids };
}

async function relay(out, algorithm) {
  const dir = project(out, `relay-${algorithm.toLowerCase()}`);
  const config = {
    src: "./src",
    schema: "./schema.graphql",
    language: "javascript",
    persistConfig: { file: "./persisted_queries.json", algorithm },
  };
  writeFileSync(join(dir, "relay.config.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, "persisted_queries.json"), "{}"); // relay-compiler wants the file to exist
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" })); // its artifacts are ES modules
  run(dir, "relay-compiler");
  return { dir, manifest: join(dir, "persisted_queries.json"), ids: await relayIds(dir) };
}

const relayArtifact = async (dir, name) =>
  (await import(pathToFileURL(join(dir, "src", "__generated__", `${name}.graphql.js`)).href)).default;

// The generated artifacts carry the id Relay's network layer receives (`params.id`; their text is null).
async function relayIds(dir) {
  const ids = {};
  for (const file of readdirSync(join(dir, "src", "__generated__")).filter((f) => f.endsWith(".graphql.js"))) {
    const { params } = await relayArtifact(dir, file.replace(/\.graphql\.js$/, ""));
    if (params.text !== null) throw new Error(`${file}: Relay kept the text of a persisted query`);
    ids[params.name] = params.id;
  }
  return ids;
}

async function generate(out) {
  const report = {
    codegen: codegen(out),
    apollo: apollo(out),
    "relay-md5": await relay(out, "MD5"),
    "relay-sha256": await relay(out, "SHA256"),
  };
  for (const [tool, { manifest }] of Object.entries(report)) {
    if (!existsSync(manifest)) throw new Error(`${tool} wrote no manifest at ${manifest}`);
  }
  return report;
}

// --- clients ------------------------------------------------------------------------------------------------

// fetch with the tenant headers, recording what was sent and the answer's status.
function recorder() {
  const requests = [];
  const fetchFn = async (input, init = {}) => {
    const url = new URL(typeof input === "string" ? input : input.url);
    const method = (init.method ?? "GET").toUpperCase();
    const response = await fetch(url, { ...init, headers: { ...TENANT, ...(init.headers ?? {}) } });
    const entry = { method, status: response.status };
    if (method === "GET") entry.query = Object.fromEntries(url.searchParams);
    else entry.body = JSON.parse(init.body);
    requests.push(entry);
    return response;
  };
  return { requests, fetchFn };
}

// The documents of Storefront.js, plucked from source as Apollo's manifest generator does.
async function sourceDocuments(dir) {
  const { gqlPluckFromCodeStringSync } = await import("@graphql-tools/graphql-tag-pluck");
  const { parse } = await import("graphql");
  const file = join(dir, "src", "Storefront.js");
  const sources = gqlPluckFromCodeStringSync(file, readFileSync(file, "utf8"));
  return Object.fromEntries(sources.map((s) => parse(s.body)).map((doc) => [doc.definitions[0].name.value, doc]));
}

async function codegenClient(dir, url) {
  const { requests, fetchFn } = recorder();
  const ids = codegenHashes(dir);
  const results = {};
  for (const [name, documentId] of Object.entries(ids)) {
    const variables = VARIABLES[name];
    // The client preset's persisted documents guide: POST {documentId, variables}.
    const post = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ documentId, variables }),
    });
    results[name] = await post.json();
    // The same over GET, as the GraphQL-over-HTTP persisted documents appendix writes it.
    const get = new URL(url);
    get.searchParams.set("documentId", documentId);
    get.searchParams.set("variables", JSON.stringify(variables));
    results[`${name} (GET)`] = await (await fetchFn(get.href, { headers: { accept: "application/json" } })).json();
    // Apollo's persisted query link, given the client preset's hash without its `sha256:` prefix.
    const hash = documentId.replace(/^sha256:/, "");
    const apq = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    results[`${name} (persistedQuery)`] = await apq.json();
  }
  return { requests, results };
}

async function apolloClient(dir, url) {
  const { ApolloClient, HttpLink, InMemoryCache } = await import("@apollo/client");
  const { PersistedQueryLink } = await import("@apollo/client/link/persisted-queries");
  const { generatePersistedQueryIdsFromManifest } = await import("@apollo/persisted-query-lists");
  const documents = await sourceDocuments(dir);
  const { requests, fetchFn } = recorder();
  const results = {};
  for (const useGETForHashedQueries of [false, true]) {
    const ids = generatePersistedQueryIdsFromManifest({ loadManifest: () => readJson(join(dir, "persisted-query-manifest.json")) });
    const link = new PersistedQueryLink({ ...ids, useGETForHashedQueries }).concat(new HttpLink({ uri: url, fetch: fetchFn }));
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    for (const [name, query] of Object.entries(documents)) {
      const { data, error } = await client.query({ query, variables: VARIABLES[name], fetchPolicy: "network-only" });
      results[useGETForHashedQueries ? `${name} (GET)` : name] = { data, error: error?.message };
    }
  }
  return { requests, results };
}

async function relayClient(dir, url) {
  const { Environment, Network, RecordSource, Store, fetchQuery } = await import("relay-runtime");
  const { requests, fetchFn } = recorder();
  // Relay's persisted queries guide: the network layer sends the artifact's id as `doc_id`.
  const network = Network.create(async (params, variables) => {
    const response = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ doc_id: params.id, variables }),
    });
    return response.json();
  });
  const environment = new Environment({ network, store: new Store(new RecordSource()) });
  const results = {};
  for (const name of Object.keys(VARIABLES)) {
    const artifact = await relayArtifact(dir, name);
    try {
      results[name] = { data: await fetchQuery(environment, artifact, VARIABLES[name]).toPromise() };
    } catch (error) {
      results[name] = { error: String(error) };
    }
  }
  return { requests, results };
}

async function apq(url) {
  const { ApolloClient, HttpLink, InMemoryCache, gql } = await import("@apollo/client");
  const { PersistedQueryLink } = await import("@apollo/client/link/persisted-queries");
  const query = gql`
    query StorefrontShelfQuery($search: String) {
      products(first: 2, search: $search) {
        totalCount
        edges {
          node {
            id
            name
          }
        }
      }
    }
  `;
  const sha256 = (text) => createHash("sha256").update(text).digest("hex");
  const report = {};
  for (const turn of ["first", "second"]) {
    const { requests, fetchFn } = recorder();
    const link = new PersistedQueryLink({ sha256 }).concat(new HttpLink({ uri: url, fetch: fetchFn }));
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    const { data, error } = await client.query({ query, variables: VARIABLES.StorefrontShelfQuery });
    report[turn] = { requests, data, error: error?.message };
  }
  return report;
}

// --- main ---------------------------------------------------------------------------------------------------

const [command, ...args] = process.argv.slice(2);
const clients = { codegen: codegenClient, apollo: apolloClient, "relay-md5": relayClient, "relay-sha256": relayClient };
let report;
if (command === "generate") report = await generate(resolve(args[0]));
else if (command === "client") report = await clients[args[0]](resolve(args[1]), args[2]);
else if (command === "apq") report = await apq(args[0]);
else throw new Error(`unknown command ${command}: generate OUT | client TOOL DIR URL | apq URL`);
console.log(JSON.stringify(report));
