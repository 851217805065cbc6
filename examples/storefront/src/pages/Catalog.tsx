// The account's catalog: search, its prices (account price, tiers), pack sizes, quantity limits and
// availability; each offer goes into the working draft order or the cart, with the refusals next to it.
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import type { Nav } from "../App";
import { AddLines, Cart, Catalog as CatalogQuery, CreateDraft } from "../documents";
import { Errors, Failure, Loading, Price, type UserError } from "../ui";

const PAGE = 10;

type Page = { first?: number; after?: string; last?: number; before?: string };

export function Catalog({ nav, workingDraft, setWorkingDraft }: { nav: Nav; workingDraft: string | null; setWorkingDraft: (id: string) => void }) {
  const [search, setSearch] = useState("");
  const [applied, setApplied] = useState("");
  const [page, setPage] = useState<Page>({ first: PAGE });
  const [{ data, fetching, error }] = useQuery({ query: CatalogQuery, variables: { search: applied || null, ...page } });
  const [cart] = useQuery({ query: Cart });
  const [, createDraft] = useMutation(CreateDraft);
  const [, addLines] = useMutation(AddLines);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, UserError[]>>({});
  const [added, setAdded] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);

  async function add(offerId: string, target: "draft" | "cart", fallback: number) {
    const quantity = Number(quantities[offerId] ?? fallback);
    const lines = [{ offerId, quantity }];
    setBusy(`${offerId}-${target}`);
    try {
      let answer: { errors: readonly UserError[]; id?: string; reference?: string } | null = null;
      if (target === "cart") {
        const id = cart.data?.cart.id;
        if (!id) return;
        const r = await addLines({ id, lines });
        const p = r.data?.addDraftOrderLines;
        answer = p ? { errors: p.errors, id: p.draftOrder?.id, reference: p.draftOrder?.reference } : null;
        if (r.error) answer = { errors: [{ code: "ERROR", message: r.error.message, blocking: true }] };
      } else if (workingDraft) {
        const r = await addLines({ id: workingDraft, lines });
        const p = r.data?.addDraftOrderLines;
        answer = p ? { errors: p.errors, id: p.draftOrder?.id, reference: p.draftOrder?.reference } : null;
        if (r.error) answer = { errors: [{ code: "ERROR", message: r.error.message, blocking: true }] };
      } else {
        const r = await createDraft({ lines });
        const p = r.data?.createDraftOrder;
        answer = p ? { errors: p.errors, id: p.draftOrder?.id, reference: p.draftOrder?.reference } : null;
        if (p?.draftOrder) setWorkingDraft(p.draftOrder.id);
        if (r.error) answer = { errors: [{ code: "ERROR", message: r.error.message, blocking: true }] };
      }
      setErrors((all) => ({ ...all, [offerId]: [...(answer?.errors ?? [])] }));
      const ok = answer && answer.errors.length === 0;
      setAdded((all) => ({ ...all, [offerId]: ok ? `Added ${quantity} to ${target === "cart" ? "the cart" : `draft ${answer?.reference ?? ""}`}` : "" }));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <h1>Catalog</h1>
      <form
        role="search"
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(search);
          setPage({ first: PAGE });
        }}
      >
        <label>
          Search products
          <input name="search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="submit">Search</button>
        {workingDraft && (
          <button type="button" onClick={() => nav({ page: "draft", id: workingDraft })}>
            Open working draft
          </button>
        )}
      </form>
      {fetching && <Loading what="the catalog" />}
      <Failure error={error} />
      {data && (
        <>
          <p data-testid="catalog-count">
            {data.products.totalCount} product{data.products.totalCount === 1 ? "" : "s"}
          </p>
          {data.products.edges.map(({ node: product }) => (
            <article key={product.id} className="card product" data-testid={`product-${product.variants[0]?.sku ?? product.id}`}>
              <h2>{product.name}</h2>
              {product.description && <p>{product.description}</p>}
              {product.variants.map((variant) =>
                variant.offers.map((offer) => {
                  const fallback = Math.max(offer.minQuantity, offer.packSize);
                  const inputId = `qty-${offer.id}`;
                  return (
                    <div key={offer.id} className="offer" data-testid={`offer-${variant.sku}`}>
                      <dl>
                        <dt>SKU</dt>
                        <dd>{variant.sku}</dd>
                        <dt>Price</dt>
                        <dd>
                          <Price money={offer.price} testId={`price-${variant.sku}`} />
                        </dd>
                        <dt>Supplier</dt>
                        <dd>{offer.supplier.name}</dd>
                        <dt>Pack size</dt>
                        <dd>{offer.packSize}</dd>
                        <dt>Quantity</dt>
                        <dd>
                          min {offer.minQuantity}
                          {offer.maxQuantity != null ? `, max ${offer.maxQuantity}` : ""}
                        </dd>
                        <dt>Availability</dt>
                        <dd data-testid={`availability-${variant.sku}`}>
                          {offer.available ? `in stock${offer.stock != null ? ` (${offer.stock})` : ""}` : "unavailable"}
                        </dd>
                      </dl>
                      {offer.priceTiers.length > 0 && (
                        <p className="tiers" data-testid={`tiers-${variant.sku}`}>
                          Volume prices:{" "}
                          {offer.priceTiers.map((t) => (
                            <span key={t.minQuantity}>
                              {t.minQuantity}+ at <Price money={t.unitPrice} />{" "}
                            </span>
                          ))}
                        </p>
                      )}
                      <div className="add">
                        <label htmlFor={inputId}>Quantity of {variant.sku}</label>
                        <input
                          id={inputId}
                          type="number"
                          min={1}
                          value={quantities[offer.id] ?? String(fallback)}
                          onChange={(e) => setQuantities((all) => ({ ...all, [offer.id]: e.target.value }))}
                        />
                        <button type="button" disabled={!offer.available || busy !== null} onClick={() => add(offer.id, "draft", fallback)}>
                          Add {variant.sku} to draft
                        </button>
                        <button type="button" disabled={!offer.available || busy !== null || !cart.data} onClick={() => add(offer.id, "cart", fallback)}>
                          Add {variant.sku} to cart
                        </button>
                      </div>
                      <Errors errors={errors[offer.id] ?? []} testId={`add-errors-${variant.sku}`} />
                      {added[offer.id] && (
                        <p role="status" className="ok">
                          {added[offer.id]}
                        </p>
                      )}
                    </div>
                  );
                }),
              )}
            </article>
          ))}
          <div className="toolbar">
            <button
              type="button"
              disabled={!data.products.pageInfo.hasPreviousPage}
              onClick={() => setPage({ last: PAGE, before: data.products.pageInfo.startCursor ?? undefined })}
            >
              Previous page
            </button>
            <button
              type="button"
              disabled={!data.products.pageInfo.hasNextPage}
              onClick={() => setPage({ first: PAGE, after: data.products.pageInfo.endCursor ?? undefined })}
            >
              Next page
            </button>
          </div>
        </>
      )}
    </>
  );
}
