// A minimal typed GraphQL client over fetch: any TypedDocumentNode from the generated `graphql()` gives the
// variables' and the result's exact types. Speaks GraphQL over HTTP (application/graphql-response+json).
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

export type GraphQLErrorBody = { message: string; extensions?: { code?: string } };

/** A top-level failure: authentication (401), refused scope (403), bad request (400) or internal (500). */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly errors: GraphQLErrorBody[],
  ) {
    super(`${status} ${code ?? "?"}: ${errors.map((e) => e.message).join("; ")}`);
  }
}

export type Headers = Record<string, string>;

export class Gateway {
  constructor(
    readonly url: string,
    readonly headers: Headers,
  ) {}

  with(extra: Headers): Gateway {
    return new Gateway(this.url, { ...this.headers, ...extra });
  }

  async execute<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const response = await fetch(this.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json;q=0.9",
        ...this.headers,
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLErrorBody[] };
    if (!response.ok || body.errors?.length || body.data == null) {
      const errors = body.errors ?? [];
      throw new GatewayError(response.status, errors[0]?.extensions?.code, errors);
    }
    return body.data;
  }
}
