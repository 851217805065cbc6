// Normalized caches against the gateway (issue 22, scope 1; docs/clients.md "Caches").
//
//   node cache.mjs generate OUT
//     From ../../schema.graphql, with graphql-codegen's fragment-matcher and introspection plugins: OUT/possible-types.json
//     (Apollo's possibleTypes) and OUT/introspection.json (Graphcache's schema); then, read from that introspection,
//     OUT/graphcache-keys.json (every object type that is not a Node: embedded, key null) and
//     OUT/apollo-type-policies.json (the same types `keyFields: false, merge: true`; lists of objects replaced
//     whole, `merge: false`). examples/cache/ holds the committed output (tests/test_clients.py compares).
//   node cache.mjs run URL
//     The buyer's draft -> add a line -> place flow, once with Apollo Client 4's InMemoryCache and once with urql's
//     Graphcache, each configured with examples/cache/: a query watching `draftOrder(id)` must show every change,
//     placement included, from the mutation payloads alone (no refetch, no eviction); a fragment on the
//     CommercialOrder interface must read its fields; any console output of the clients (a cache warning) fails.
//     Run it under NODE_ENV=production and NODE_ENV=development (with --conditions=production|development, which
//     picks Apollo's build). Prints one JSON line: {"env", "apollo": [...steps], "urql": [...steps]}.
//   node cache.mjs relay URL
//     relay-compiler compiles @refetchable fragments on Order and DraftOrder (their refetch queries go through
//     node(id:)); relay-runtime, keyed by type and id (docs/clients.md), refetches a placed order and a draft
//     with them. Prints {"steps": [...], "refetchQuery": "<the generated query text>"}.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const CACHE = join(ROOT, "examples", "cache");
const TENANT = { "dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT" };
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

// --- generation ---------------------------------------------------------------------------------------------

function generate(out) {
  mkdirSync(out, { recursive: true });
  const config = {
    schema: join(ROOT, "schema.graphql"),
    generates: {
      [join(out, "possible-types.json")]: { plugins: ["fragment-matcher"], config: { apolloClientVersion: 3 } },
      [join(out, "introspection.json")]: { plugins: ["introspection"], config: { minify: true, descriptions: false } },
    },
  };
  const scratch = mkdtempSync(join(tmpdir(), "cache-codegen-"));
  const file = join(scratch, "codegen.json");
  writeFileSync(file, JSON.stringify(config));
  try {
    execFileSync(join(HERE, "node_modules", ".bin", "graphql-codegen"), ["--config", file], {
      cwd: HERE,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const types = readJson(join(out, "introspection.json")).__schema.types;
  const roots = new Set(["Query", "Mutation", "Subscription"]);
  const embedded = types
    .filter((t) => t.kind === "OBJECT" && !t.name.startsWith("__") && !roots.has(t.name))
    .filter((t) => !(t.interfaces || []).some((i) => i.name === "Node"))
    .map((t) => t.name)
    .sort();
  const keys = Object.fromEntries(embedded.map((name) => [name, null]));
  writeFileSync(join(out, "graphcache-keys.json"), JSON.stringify(keys, null, 2) + "\n");
  const kinds = new Map(types.map((t) => [t.name, t.kind]));
  const named = (ref) => (ref.ofType ? named(ref.ofType) : ref);
  const isList = (ref) => ref.kind === "LIST" || (ref.kind === "NON_NULL" && isList(ref.ofType));
  const policies = {};
  for (const t of types.filter((t) => t.kind === "OBJECT" && !t.name.startsWith("__"))) {
    const policy = embedded.includes(t.name) ? { keyFields: false, merge: true } : {};
    const lists = (t.fields || []).filter((f) => isList(f.type) && kinds.get(named(f.type).name) !== "SCALAR");
    const fields = Object.fromEntries(
      lists.filter((f) => kinds.get(named(f.type).name) !== "ENUM").map((f) => [f.name, { merge: false }]),
    );
    if (Object.keys(fields).length) policy.fields = fields;
    if (Object.keys(policy).length) policies[t.name] = policy;
  }
  writeFileSync(join(out, "apollo-type-policies.json"), JSON.stringify(policies, null, 2) + "\n");
  return ["possible-types.json", "introspection.json", "graphcache-keys.json", "apollo-type-policies.json"];
}

// --- the flow -----------------------------------------------------------------------------------------------

const DRAFT_FIELDS = `id reference status version
  lines { id quantity total { amount currency } }
  issues { code message lineId blocking }
  total { amount currency }`;
const DRAFT = `query CacheDraft($id: ID!) { draftOrder(id: $id) { ${DRAFT_FIELDS} } }`;
const CREATE = `mutation CacheCreate { createDraftOrder(input: {shippingAddressId: "ACME-HQ", billingAddressId: "ACME-HQ"}) {
  draftOrder { ${DRAFT_FIELDS} } errors { code message } } }`;
const ADD = `mutation CacheAdd($id: ID!, $lines: [DraftOrderLineInput!]!) { addDraftOrderLines(draftOrderId: $id, lines: $lines) {
  draftOrder { ${DRAFT_FIELDS} } errors { code message field index lineId } warnings { code message } } }`;
const PLACE = `mutation CachePlace($id: ID!) { placeDraftOrder(id: $id, input: {paymentMethodId: "bank-wire"}) {
  order { ...CacheOrderCard } draftOrder { ${DRAFT_FIELDS} } nextStep errors { code message } } }
fragment CacheOrderCard on CommercialOrder { __typename id status total { amount currency }
  ... on Order { reference paymentStatus logisticOrders { id status } } }`;
const NODE = `query CacheNode($id: ID!) { node(id: $id) { id ...CacheOrderCard } }
fragment CacheOrderCard on CommercialOrder { __typename id status total { amount currency }
  ... on Order { reference paymentStatus logisticOrders { id status } } }`;
const OFFER = `query CacheOffer { products(search: "PAPER-A4", first: 1) { edges { node { id variants { id sku offers { id } } } } } }`;

// Every console line of the clients is a finding (a cache warning, a lost field, a deprecation).
const findings = [];
for (const level of ["warn", "error", "info", "log", "debug"]) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    findings.push(`${level}: ${args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ").slice(0, 500)}`);
    if (level !== "log") original(...args);
  };
}

function check(ok, step, detail) {
  if (!ok) throw new Error(`${step}: ${JSON.stringify(detail)}`);
}

async function signIn(url) {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...TENANT, "content-type": "application/json" },
    body: JSON.stringify({
      query: "mutation($e: String!, $p: String!) { createToken(email: $e, password: $p) { token } }",
      variables: { e: "buyer@acme.example", p: "demo-password" },
    }),
  });
  const token = (await response.json()).data.createToken.token;
  check(token, "sign in", token);
  return { ...TENANT, authorization: `Bearer ${token}` };
}

// The values a watched query emits, and a way to wait for the one a step expects.
function watcher() {
  const seen = [];
  let wake = () => {};
  return {
    seen,
    push(value) {
      seen.push(value);
      wake();
    },
    async until(step, predicate, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!seen.length || !predicate(seen[seen.length - 1])) {
        if (Date.now() > deadline) throw new Error(`${step}: the watched draft never showed it; last: ${JSON.stringify(seen.at(-1))}`);
        await new Promise((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
      return seen[seen.length - 1];
    },
  };
}

// The same steps for both clients: `client` runs mutations and one-off queries, `watch` starts the watched query.
async function flow(name, { mutate, query, watch }, counter) {
  const steps = [];
  const offer = (await query(OFFER, {})).products.edges[0].node.variants.find((v) => v.sku === "PAPER-A4").offers[0].id;
  const created = (await mutate(CREATE, {})).createDraftOrder;
  check(created.errors.length === 0 && created.draftOrder.status === "DRAFT", `${name} create`, created);
  const id = created.draftOrder.id;
  const watched = watcher();
  const stop = watch(DRAFT, { id }, (data) => watched.push(data?.draftOrder));
  await watched.until(`${name} watch`, (d) => d && d.id === id && d.lines.length === 0);
  check(watched.seen.at(-1).issues.some((i) => i.code === "ORDER_EMPTY"), `${name} empty issue`, watched.seen.at(-1));
  steps.push("draft");
  const requests = counter.count;

  const added = (await mutate(ADD, { id, lines: [{ offerId: offer, quantity: 10 }] })).addDraftOrderLines;
  check(added.errors.length === 0, `${name} add`, added);
  const withLine = await watched.until(`${name} add`, (d) => d.lines.length === 1 && d.version === added.draftOrder.version);
  check(withLine.issues.length === 0 && withLine.total.amount === added.draftOrder.total.amount, `${name} add`, withLine);
  steps.push("add line");

  const placed = (await mutate(PLACE, { id })).placeDraftOrder;
  check(placed.errors.length === 0 && placed.order.__typename === "Order", `${name} place`, placed);
  check(placed.order.id === id && placed.draftOrder.id === id, `${name} one id`, placed);
  const shown = await watched.until(`${name} placed`, (d) => d.status === "PLACED");
  check(shown.total.amount === placed.order.total.amount && shown.issues.length === 0, `${name} placed`, shown);
  steps.push("placed shown");
  // The watched query was answered from the payloads alone: two mutations (add, place), no other request.
  check(counter.count - requests === 2, `${name} no refetch`, { requests: counter.count - requests });
  steps.push("no refetch");

  // A fragment on the interface reads its fields on the concrete type (possibleTypes / the schema).
  const node = (await query(NODE, { id }, true)).node;
  check(node.__typename === "Order" && node.status === "PLACED" && node.reference && node.paymentStatus, `${name} node`, node);
  check(node.logisticOrders.length === 1 && node.total.amount === placed.order.total.amount, `${name} node`, node);
  steps.push("interface fragment");
  stop();
  return steps;
}

function counting(url) {
  const counter = { count: 0 };
  counter.fetch = (input, init) => {
    counter.count += 1;
    return fetch(input, init);
  };
  return counter;
}

async function apollo(url, headers) {
  const { ApolloClient, HttpLink, InMemoryCache, gql } = await import("@apollo/client");
  const { possibleTypes } = readJson(join(CACHE, "possible-types.json"));
  const typePolicies = process.env.CACHE_WITHOUT_POLICIES ? {} : readJson(join(CACHE, "apollo-type-policies.json"));
  const counter = counting(url);
  const client = new ApolloClient({
    link: new HttpLink({ uri: url, headers, fetch: counter.fetch }),
    cache: new InMemoryCache({ possibleTypes, typePolicies }),
  });
  const parsed = new Map();
  const doc = (text) => parsed.get(text) ?? parsed.set(text, gql(text)).get(text);
  return flow(
    "apollo",
    {
      mutate: async (text, variables) => (await client.mutate({ mutation: doc(text), variables })).data,
      query: async (text, variables, network) =>
        (await client.query({ query: doc(text), variables, fetchPolicy: network ? "network-only" : "cache-first" })).data,
      watch: (text, variables, next) => {
        const sub = client.watchQuery({ query: doc(text), variables }).subscribe({
          next: (result) => result.data && next(result.data),
          error: (e) => findings.push(`apollo watch error: ${e}`),
        });
        return () => sub.unsubscribe();
      },
    },
    counter,
  );
}

async function urql(url, headers) {
  const { Client, fetchExchange, gql } = await import("@urql/core");
  const { cacheExchange } = await import("@urql/exchange-graphcache");
  const schema = readJson(join(CACHE, "introspection.json"));
  const keys = process.env.CACHE_WITHOUT_POLICIES
    ? {}
    : Object.fromEntries(Object.keys(readJson(join(CACHE, "graphcache-keys.json"))).map((t) => [t, () => null]));
  const counter = counting(url);
  const client = new Client({
    url,
    exchanges: [cacheExchange({ schema, keys }), fetchExchange],
    fetchOptions: { headers },
    fetch: counter.fetch,
    preferGetMethod: false,
  });
  const parsed = new Map();
  const doc = (text) => parsed.get(text) ?? parsed.set(text, gql(text)).get(text);
  const answer = (result, step) => {
    if (result.error) throw new Error(`urql ${step}: ${result.error}`);
    return result.data;
  };
  return flow(
    "urql",
    {
      mutate: async (text, variables) => answer(await client.mutation(doc(text), variables).toPromise(), "mutation"),
      query: async (text, variables, network) =>
        answer(
          await client.query(doc(text), variables, { requestPolicy: network ? "network-only" : "cache-first" }).toPromise(),
          "query",
        ),
      watch: (text, variables, next) => {
        const { unsubscribe } = client.query(doc(text), variables).subscribe((result) => result.data && next(result.data));
        return unsubscribe;
      },
    },
    counter,
  );
}

const RELAY_SOURCE = `import { graphql } from "relay-runtime";

export const order = graphql\`
  fragment CacheOrderCard_order on Order @refetchable(queryName: "CacheOrderCardRefetchQuery") {
    id status reference paymentStatus total { amount currency }
  }
\`;

export const draft = graphql\`
  fragment CacheDraftCard_draft on DraftOrder @refetchable(queryName: "CacheDraftCardRefetchQuery") {
    id status version lines { id quantity }
  }
\`;
`;

async function relay(url) {
  const dir = mkdtempSync(join(tmpdir(), "cache-relay-"));
  try {
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "Cards.js"), RELAY_SOURCE);
    writeFileSync(join(dir, "schema.graphql"), readFileSync(join(ROOT, "schema.graphql")));
    writeFileSync(join(dir, "relay.config.json"), JSON.stringify({ src: "./src", schema: "./schema.graphql", language: "javascript" }));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    symlinkSync(join(HERE, "node_modules"), join(dir, "node_modules"), "dir");
    execFileSync(join(HERE, "node_modules", ".bin", "relay-compiler"), [], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    const artifact = async (name) =>
      (await import(pathToFileURL(join(dir, "src", "__generated__", `${name}.graphql.js`)).href)).default;
    const orderQuery = await artifact("CacheOrderCardRefetchQuery");
    const draftQuery = await artifact("CacheDraftCardRefetchQuery");
    check(/node\(id: \$id\)/.test(orderQuery.params.text), "relay refetch query", orderQuery.params.text);
    const steps = ["compiled"];

    const headers = await signIn(url);
    const post = async (query, variables) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()).data;
    };
    const offer = (await post(OFFER, {})).products.edges[0].node.variants.find((v) => v.sku === "PAPER-A4").offers[0].id;
    const make = async () => {
      const id = (await post(CREATE, {})).createDraftOrder.draftOrder.id;
      await post(ADD, { id, lines: [{ offerId: offer, quantity: 10 }] });
      return id;
    };
    const placedId = await make();
    check((await post(PLACE, { id: placedId })).placeDraftOrder.errors.length === 0, "relay place", placedId);
    const draftId = await make();

    const { Environment, Network, RecordSource, Store, fetchQuery } = await import("relay-runtime");
    const network = Network.create(async (params, variables) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ query: params.text, variables }),
      });
      return response.json();
    });
    const environment = new Environment({
      network,
      store: new Store(new RecordSource()),
      getDataID: (fieldValue, typeName) => `${typeName}:${fieldValue.id}`,
    });
    // The fragments' data is masked in the answer: read the records the refetch wrote to the store.
    const record = (key) => environment.getStore().getSource().get(key);
    await fetchQuery(environment, orderQuery, { id: placedId }).toPromise();
    const placed = record(`Order:${placedId}`);
    check(placed && placed.status === "PLACED" && placed.reference && placed.paymentStatus, "relay refetch order", placed);
    steps.push("order refetched");
    await fetchQuery(environment, draftQuery, { id: draftId }).toPromise();
    const drafted = record(`DraftOrder:${draftId}`);
    check(drafted && drafted.status === "DRAFT" && drafted.version >= 2, "relay refetch draft", drafted);
    steps.push("draft refetched");
    process.stdout.write(JSON.stringify({ steps, refetchQuery: orderQuery.params.text, findings }) + "\n");
    process.exit(findings.length ? 1 : 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(url) {
  const headers = await signIn(url);
  const report = { env: process.env.NODE_ENV ?? null, apollo: [], urql: [], findings };
  try {
    report.apollo = await apollo(url, headers);
    report.urql = await urql(url, headers);
  } catch (e) {
    report.failed = String(e.stack || e);
  }
  console.info = () => {};
  process.stdout.write(JSON.stringify(report) + "\n");
  process.exit(report.failed || findings.length ? 1 : 0);
}

const [command, arg] = process.argv.slice(2);
if (command === "generate") {
  const written = generate(resolve(arg));
  process.stdout.write(JSON.stringify({ written }) + "\n");
} else if (command === "run") {
  await run(arg);
} else if (command === "relay") {
  await relay(arg);
} else {
  process.stderr.write("usage: node cache.mjs generate OUT | run URL | relay URL\n");
  process.exit(2);
}
