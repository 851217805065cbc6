// A draft order's lines, totals and live issues, editable: change or remove a line, sync with today's prices
// and stock. Every mutation returns the draft, which Graphcache writes over the one on screen.
import { useState } from "react";
import { useMutation } from "urql";
import { RemoveLines, SyncDraft, UpdateLines } from "../documents";
import type { DraftFieldsFragment } from "../gql/graphql";
import { Errors, Failure, Price, StatusBadge, type UserError } from "../ui";

export const EDITABLE = new Set(["DRAFT", "DRAFT_ON_HOLD"]);

export function DraftView({ draft }: { draft: DraftFieldsFragment }) {
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [lineErrors, setLineErrors] = useState<Record<string, UserError[]>>({});
  const [other, setOther] = useState<UserError[]>([]);
  const [update, doUpdate] = useMutation(UpdateLines);
  const [remove, doRemove] = useMutation(RemoveLines);
  const [sync, doSync] = useMutation(SyncDraft);
  const editable = EDITABLE.has(draft.status);

  function spread(lineId: string | null, errors: readonly UserError[]) {
    const byLine: Record<string, UserError[]> = {};
    const rest: UserError[] = [];
    for (const e of errors) {
      const id = e.lineId ?? lineId;
      if (id) (byLine[id] ??= []).push(e);
      else rest.push(e);
    }
    setLineErrors(byLine);
    setOther(rest);
  }

  async function change(lineId: string, current: number) {
    const quantity = Number(quantities[lineId] ?? current);
    const r = await doUpdate({ id: draft.id, lines: [{ lineId, quantity }], version: draft.version });
    spread(lineId, r.data?.updateDraftOrderLines.errors ?? []);
  }

  async function drop(lineId: string) {
    const r = await doRemove({ id: draft.id, lineIds: [lineId], version: draft.version });
    spread(lineId, r.data?.removeDraftOrderLines.errors ?? []);
  }

  async function resync() {
    const r = await doSync({ id: draft.id });
    spread(null, r.data?.syncDraftOrder.errors ?? []);
  }

  const issuesFor = (lineId: string) => draft.issues.filter((i) => i.lineId === lineId);
  // checkoutCart takes the cart's address itself: the cart shows no address issue.
  const CHECKOUT_SETS = ["SHIPPING_ADDRESS_REQUIRED", "BILLING_ADDRESS_REQUIRED"];
  const orderIssues = draft.issues.filter((i) => !i.lineId && !(draft.isCart && CHECKOUT_SETS.includes(i.code)));
  const busy = update.fetching || remove.fetching || sync.fetching;

  return (
    <div data-testid="draft-view" data-version={draft.version}>
      <p>
        {draft.isCart ? "Cart" : "Draft order"} <strong data-testid="draft-reference">{draft.reference}</strong>{" "}
        <StatusBadge status={draft.status} testId="draft-status" />
        {draft.source && <span> · from {draft.source.type.toLowerCase()}</span>}
      </p>
      {draft.lines.length === 0 ? (
        <p>No lines yet: add products from the catalog.</p>
      ) : (
        <table className="lines">
          <caption className="sr-only">Lines of {draft.reference}</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Unit price</th>
              <th scope="col">Quantity</th>
              <th scope="col">Line total</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {draft.lines.map((line) => {
              const inputId = `line-${line.id}`;
              const notes = [...issuesFor(line.id), ...(lineErrors[line.id] ?? [])];
              return (
                <tr key={line.id} data-testid={`line-${line.sku}`}>
                  <td>
                    {line.variant.name} <span className="sku">{line.sku}</span>
                    <br />
                    <small>
                      {line.offer.supplier.name} · packs of {line.offer.packSize}
                      {line.promotion ? ` · ${line.promotion}` : ""}
                    </small>
                    <Errors errors={notes} testId={`line-errors-${line.sku}`} />
                  </td>
                  <td>
                    <Price money={line.unitPrice} />
                  </td>
                  <td>
                    <label htmlFor={inputId} className="sr-only">
                      Quantity of {line.sku}
                    </label>
                    <input
                      id={inputId}
                      type="number"
                      min={0}
                      disabled={!editable}
                      value={quantities[line.id] ?? String(line.quantity)}
                      onChange={(e) => setQuantities((all) => ({ ...all, [line.id]: e.target.value }))}
                    />
                  </td>
                  <td>
                    <Price money={line.total} testId={`line-total-${line.sku}`} />
                  </td>
                  <td>
                    <button type="button" disabled={!editable || busy} onClick={() => change(line.id, line.quantity)}>
                      Update {line.sku}
                    </button>{" "}
                    <button type="button" disabled={!editable || busy} onClick={() => drop(line.id)}>
                      Remove {line.sku}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Errors errors={other} testId="draft-errors" />
      <Failure error={update.error ?? remove.error ?? sync.error} />
      <dl className="totals">
        <dt>Subtotal</dt>
        <dd>
          <Price money={draft.subtotal} testId="subtotal" />
        </dd>
        <dt>Shipping</dt>
        <dd>
          <Price money={draft.shippingTotal} testId="shipping-total" />
        </dd>
        <dt>Discount</dt>
        <dd>
          <Price money={draft.discountTotal} testId="discount-total" />
        </dd>
        {draft.voucher && (
          <>
            <dt>Voucher {draft.voucher.code} saves (before tax)</dt>
            <dd>
              <Price money={draft.amountSaved} testId="amount-saved" />
            </dd>
          </>
        )}
        <dt>Tax</dt>
        <dd>
          <Price money={draft.taxTotal} testId="tax-total" />
        </dd>
        <dt>Total</dt>
        <dd>
          <Price money={draft.total} testId="total" />
        </dd>
      </dl>
      {editable && (
        <div className="issues" data-testid="issues">
          <h3>Issues</h3>
          {orderIssues.length === 0 ? <p data-testid="no-order-issues">None: ready as far as the order goes.</p> : <Errors errors={orderIssues} />}
          <button type="button" disabled={busy} onClick={resync}>
            {sync.fetching ? "Syncing…" : "Sync prices and stock"}
          </button>
        </div>
      )}
    </div>
  );
}
