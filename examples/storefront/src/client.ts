// One urql client per session (token, account, store): Graphcache normalizes with the schema and the keys
// generated into examples/cache, so a mutation's payload updates every page that shows the same objects.
import { cacheExchange, type CacheExchangeOpts } from "@urql/exchange-graphcache";
import { persistedExchange } from "@urql/exchange-persisted";
import { Client, fetchExchange, type Exchange } from "urql";
import keys from "../../cache/graphcache-keys.json";
import schema from "../../cache/introspection.json";

export type SessionHeaders = { token?: string; accountId?: string; store?: string };

// `ids`: the production build. Every operation goes out as its graphql-codegen id only (the gateway runs in
// trusted-documents mode with the manifest this build emitted); `text`: the documents themselves.
export const SENDS_IDS = import.meta.env.VITE_DOCUMENTS === "ids";
const API_KEY: string = import.meta.env.VITE_API_KEY ?? "demo-tenant-key";

type WithHash = { __meta__?: { hash?: string } };

export function makeClient(session: SessionHeaders): Client {
  const headers: Record<string, string> = { "dj-api-key": API_KEY, "dj-client": "ACCOUNT" };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (session.accountId) headers["customer-account-id"] = session.accountId;
  if (session.store) headers["dj-store"] = session.store;
  const exchanges: Exchange[] = [
    cacheExchange({
      schema: schema as unknown as CacheExchangeOpts["schema"],
      // Value types without identity (Money, UserError, PageInfo, ...) are embedded in their parent.
      keys: Object.fromEntries(Object.keys(keys).map((name) => [name, () => null])),
      // Checking out turns the cart into an order (the payload shows it): the next `cart` is a new draft.
      updates: {
        Mutation: {
          checkoutCart: (_result, _args, cache) => cache.invalidate("Query", "cart"),
        },
      },
    }),
  ];
  if (SENDS_IDS) {
    exchanges.push(
      persistedExchange({
        enforcePersistedQueries: true,
        enableForMutation: true,
        preferGetForPersistedQueries: false,
        generateHash: async (_query, document) => (document as WithHash).__meta__?.hash ?? null,
      }),
    );
  }
  exchanges.push(fetchExchange);
  return new Client({
    url: import.meta.env.VITE_GRAPHQL_URL ?? "/graphql",
    exchanges,
    fetchOptions: { headers: { accept: "application/graphql-response+json, application/json;q=0.9", ...headers } },
    preferGetMethod: false,
  });
}
