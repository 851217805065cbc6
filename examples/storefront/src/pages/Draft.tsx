// The order-first checkout: a draft order, its addresses and its placement into one logistic order per
// supplier, shown from the placement payload (the draft's own id comes back placed: no refetch, no reload).
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import type { Nav } from "../App";
import { Draft, Place, Session, SetAddresses } from "../documents";
import { Errors, Failure, Loading, Price, Section, StatusBadge, newKey, type UserError } from "../ui";
import { DraftView, EDITABLE } from "./DraftView";

export function DraftPage({ id, nav }: { id: string; nav: Nav }) {
  const [{ data, fetching, error }] = useQuery({ query: Draft, variables: { id } });
  const [session] = useQuery({ query: Session });
  const [setAddresses, doSetAddresses] = useMutation(SetAddresses);
  const [place, doPlace] = useMutation(Place);
  const [shipping, setShipping] = useState("");
  const [billing, setBilling] = useState("");
  const [errors, setErrors] = useState<UserError[]>([]);
  const [addressErrors, setAddressErrors] = useState<UserError[]>([]);
  const [placeKey] = useState(() => newKey("storefront-place"));

  if (fetching && !data) return <Loading what="the draft order" />;
  if (error) return <Failure error={error} />;
  const draft = data?.draftOrder;
  if (!draft) return <Failure error="This draft order does not exist (any more)." />;
  const addresses = session.data?.viewer.account?.addresses ?? [];
  const editable = EDITABLE.has(draft.status);
  const ship = shipping || draft.shippingAddress?.id || "";
  const bill = billing || draft.billingAddress?.id || "";
  const onField = (name: string) => errors.filter((e) => e.field?.includes(name));
  const blocking = draft.issues.filter((i) => i.blocking);

  async function saveAddresses() {
    const r = await doSetAddresses({ id: draft!.id, shipping: ship || null, billing: bill || null, version: draft!.version });
    const all = r.data?.updateDraftOrder.errors ?? [];
    setErrors([...all]);
    setAddressErrors(all.filter((e) => !e.field?.some((f) => f === "shippingAddressId" || f === "billingAddressId")));
  }

  async function placeIt() {
    const r = await doPlace({ id: draft!.id, key: placeKey, version: draft!.version });
    setErrors([...(r.data?.placeDraftOrder.errors ?? [])]);
  }

  return (
    <>
      <h1>Draft order {draft.reference}</h1>
      <Section title="Lines" testId="draft-lines">
        <DraftView draft={draft} />
      </Section>
      {editable && (
        <Section title="Addresses" testId="addresses">
          <form
            className="grid"
            onSubmit={(e) => {
              e.preventDefault();
              void saveAddresses();
            }}
          >
            <label>
              Shipping address
              <select name="shipping" value={ship} onChange={(e) => setShipping(e.target.value)}>
                <option value="">Choose…</option>
                {addresses
                  .filter((a) => a.isShipping)
                  .map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.externalId}: {a.street}, {a.city}
                    </option>
                  ))}
              </select>
            </label>
            <Errors errors={onField("shippingAddressId")} />
            <label>
              Billing address
              <select name="billing" value={bill} onChange={(e) => setBilling(e.target.value)}>
                <option value="">Choose…</option>
                {addresses
                  .filter((a) => a.isBilling)
                  .map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.externalId}: {a.street}, {a.city}
                    </option>
                  ))}
              </select>
            </label>
            <Errors errors={onField("billingAddressId")} />
            <Errors errors={addressErrors} testId="address-errors" />
            <button type="submit" disabled={setAddresses.fetching}>
              Save addresses
            </button>
          </form>
        </Section>
      )}
      <Section title="Placement" testId="placement">
        {editable ? (
          <>
            <p>{blocking.length ? `${blocking.length} blocking issue(s) to solve before placing.` : "Ready to place."}</p>
            <button type="button" disabled={place.fetching || draft.status === "DRAFT_ON_HOLD"} onClick={placeIt}>
              {place.fetching ? "Placing…" : "Place order"}
            </button>
            {draft.status === "DRAFT_ON_HOLD" && <p>This draft is on hold: its quote or operation decides when it can be placed.</p>}
          </>
        ) : (
          <p data-testid="placed">
            Placed as <StatusBadge status={draft.status} testId="placed-status" /> in {draft.logisticOrders.length} logistic order
            {draft.logisticOrders.length === 1 ? "" : "s"}.
          </p>
        )}
        <Errors errors={errors.filter((e) => !e.field?.length)} testId="place-errors" />
        <Failure error={place.error ?? setAddresses.error} />
        {draft.logisticOrders.length > 0 && (
          <table data-testid="logistic-orders">
            <caption>Logistic orders, one per supplier</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Supplier</th>
                <th scope="col">Status</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {draft.logisticOrders.map((lo) => (
                <tr key={lo.id}>
                  <td>{lo.reference}</td>
                  <td>{lo.supplier.name}</td>
                  <td>{lo.status}</td>
                  <td>
                    <Price money={lo.total} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {!editable && (
          <button type="button" onClick={() => nav({ page: "order", id: draft.reference })}>
            Open order {draft.reference}
          </button>
        )}
      </Section>
    </>
  );
}
