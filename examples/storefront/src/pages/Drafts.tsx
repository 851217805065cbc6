// The account's draft orders, and new drafts from a quote or from an operation (campaign).
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import type { Nav } from "../App";
import { DraftFromOperation, DraftFromQuote, Drafts } from "../documents";
import { Errors, Failure, Loading, Price, Section, StatusBadge, type UserError } from "../ui";

export function DraftsPage({ nav }: { nav: Nav }) {
  const [{ data, fetching, error }] = useQuery({ query: Drafts, requestPolicy: "cache-and-network" });
  const [fromQuote, doFromQuote] = useMutation(DraftFromQuote);
  const [fromOperation, doFromOperation] = useMutation(DraftFromOperation);
  const [errors, setErrors] = useState<Record<string, UserError[]>>({});

  async function quote(id: string) {
    const r = await doFromQuote({ quoteId: id });
    const p = r.data?.createDraftOrderFromQuote;
    setErrors((all) => ({ ...all, [id]: [...(p?.errors ?? [])] }));
    if (p?.draftOrder) nav({ page: "draft", id: p.draftOrder.id });
  }

  async function operation(id: string) {
    const r = await doFromOperation({ operationId: id });
    const p = r.data?.createDraftOrderFromOperation;
    setErrors((all) => ({ ...all, [id]: [...(p?.errors ?? [])] }));
    if (p?.draftOrder) nav({ page: "draft", id: p.draftOrder.id });
  }

  if (fetching && !data) return <Loading what="your drafts" />;
  if (error && !data) return <Failure error={error} />;
  if (!data) return null;
  return (
    <>
      <h1>Draft orders</h1>
      <Section title="Open drafts" testId="drafts">
        {data.draftOrders.edges.length === 0 ? (
          <p>No draft yet.</p>
        ) : (
          <ul className="plain">
            {data.draftOrders.edges.map(({ node }) => (
              <li key={node.id}>
                <button type="button" className="link" onClick={() => nav(node.isCart ? { page: "cart" } : { page: "draft", id: node.id })}>
                  {node.reference}
                </button>{" "}
                <StatusBadge status={node.status} /> {node.isCart ? "(cart)" : node.source ? `(from ${node.source.type.toLowerCase()})` : ""}{" "}
                <Price money={node.total} />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="From a quote" testId="quotes">
        <Failure error={fromQuote.error} />
        <ul className="plain">
          {data.quotes.edges.map(({ node }) => (
            <li key={node.id} data-testid={`quote-${node.externalId}`}>
              {node.externalId} {node.name ?? ""} <StatusBadge status={node.status} />{" "}
              {node.expiresAt && <span>expires {new Date(node.expiresAt).toLocaleDateString("en-GB")}</span>}{" "}
              <button type="button" disabled={fromQuote.fetching} onClick={() => quote(node.id)}>
                Draft from quote {node.externalId}
              </button>
              <Errors errors={errors[node.id] ?? []} />
            </li>
          ))}
        </ul>
      </Section>
      <Section title="From an operation" testId="operations">
        <Failure error={fromOperation.error} />
        <ul className="plain">
          {data.operations.edges.map(({ node }) => (
            <li key={node.id} data-testid={`operation-${node.externalId}`}>
              {node.name} ({node.externalId}, {node.type.toLowerCase()}) <StatusBadge status={node.status} />{" "}
              <button type="button" disabled={fromOperation.fetching} onClick={() => operation(node.id)}>
                Draft from operation {node.externalId}
              </button>
              <Errors errors={errors[node.id] ?? []} />
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
