// An order: its status and payment, lines, logistic orders and events; a redirect payment continues on the
// provider's page (a window of its own, so the session stays in this one's memory), and an unpaid order can be
// paid again (payOrder).
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import type { Nav, PendingPayment } from "../App";
import { OrderDetail, OrderPaymentMethods, PayOrder } from "../documents";
import { Errors, Failure, Loading, Price, Section, StatusBadge, newKey, type UserError } from "../ui";
import { returnUrl } from "./Cart";
import type { PaymentOutcome } from "./PaymentReturn";

const PAYABLE = new Set(["AWAITING_PAYMENT", "REFUSED", "PARTIALLY_PAID"]);

type Props = { id: string; outcome: PaymentOutcome | null; pending: PendingPayment | null; addPayment: (p: PendingPayment) => void; nav: Nav };

export function OrderPage({ id, outcome, pending, addPayment, nav }: Props) {
  const [{ data, fetching, stale, error }] = useQuery({
    query: OrderDetail,
    variables: { id },
    // After the provider's page the gateway changed the order (its callback): ask, do not trust the cache.
    requestPolicy: outcome ? "network-only" : "cache-and-network",
  });
  const [methods] = useQuery({ query: OrderPaymentMethods });
  const [payResult, doPay] = useMutation(PayOrder);
  const [method, setMethod] = useState("");
  const [errors, setErrors] = useState<UserError[]>([]);
  const [key, setKey] = useState(() => newKey("storefront-pay"));

  if (fetching && !data) return <Loading what="the order" />;
  // Back from the provider's page: show the outcome with the order as the gateway now has it, not as cached.
  if (outcome && (fetching || stale)) return <Loading what="the order after the payment" />;
  if (error && !data) return <Failure error={error} />;
  const order = data?.order;
  const draft = data?.draftOrder;
  if (!order && draft) {
    // A refused (or expired) checkout payment gives the order back as a draft: the cart again.
    return (
      <>
        <h1>
          Order <span data-testid="order-reference">{draft.reference}</span>
        </h1>
        {outcome && (
          <p role="status" className="failure" data-testid="payment-outcome">
            The payment was {outcome.status.toLowerCase()}.
          </p>
        )}
        <Section title="Status" testId="order-status-card">
          <p>
            Back to <StatusBadge status={draft.status} testId="order-status" />
            {draft.isCart ? ": it is your cart again, to pay another way or change." : "."}
          </p>
          <button type="button" onClick={() => nav(draft.isCart ? { page: "cart" } : { page: "draft", id: draft.id })}>
            {draft.isCart ? "Back to the cart" : "Open the draft"}
          </button>
        </Section>
      </>
    );
  }
  if (!order) return <Failure error="No such order." />;
  // A redirect attempt in progress is paid on the provider's page; an unpaid placed order can be paid (payOrder).
  const waiting = pending && order.paymentStatus === "AUTHORIZATION_PENDING" ? pending : null;
  const payable = !waiting && order.status === "PLACED" && PAYABLE.has(order.paymentStatus);

  async function payAgain() {
    const r = await doPay({ orderKey: order!.reference, paymentMethodId: method, key, returnUrl: returnUrl() });
    const p = r.data?.payOrder;
    setErrors([...(p?.errors ?? [])]);
    setKey(newKey("storefront-pay"));
    if (p?.result?.__typename === "RedirectPayment") addPayment({ orderKey: order!.reference, nextStep: p.result.nextStep });
  }

  return (
    <>
      <h1>
        Order <span data-testid="order-reference">{order.reference}</span>
      </h1>
      {outcome && (
        <p role="status" className={outcome.status === "APPROVED" ? "ok" : "failure"} data-testid="payment-outcome">
          The payment was {outcome.status.toLowerCase()}.
        </p>
      )}
      <Section title="Status" testId="order-status-card">
        <p>
          Order <StatusBadge status={order.status} testId="order-status" /> · payment{" "}
          <StatusBadge status={order.paymentStatus} testId="payment-status" />
        </p>
        {waiting && (
          <p>
            <button type="button" onClick={() => window.open(waiting.nextStep, "sandbox-payment", "popup,width=640,height=720")}>
              Pay on the payment page
            </button>
          </p>
        )}
        {payable && (
          <form
            className="toolbar"
            onSubmit={(e) => {
              e.preventDefault();
              void payAgain();
            }}
          >
            <label>
              Pay with
              <select name="pay-method" value={method} onChange={(e) => setMethod(e.target.value)}>
                <option value="">Choose…</option>
                {(methods.data?.paymentMethods ?? []).map((m) => (
                  <option key={m.id} value={m.code}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={!method || payResult.fetching}>
              Pay order {order.reference}
            </button>
          </form>
        )}
        <Errors errors={errors} testId="pay-errors" />
        <Failure error={payResult.error} />
        <dl className="totals">
          <dt>Subtotal</dt>
          <dd>
            <Price money={order.subtotal} />
          </dd>
          <dt>Shipping</dt>
          <dd>
            <Price money={order.shippingTotal} />
          </dd>
          <dt>Discount</dt>
          <dd>
            <Price money={order.discountTotal} />
          </dd>
          {order.voucher && (
            <>
              <dt>Voucher {order.voucher.code} saved (before tax)</dt>
              <dd>
                <Price money={order.amountSaved} />
              </dd>
            </>
          )}
          <dt>Total</dt>
          <dd>
            <Price money={order.total} testId="order-total" />
          </dd>
          <dt>Outstanding</dt>
          <dd>
            <Price money={order.outstandingAmount} testId="order-outstanding" />
          </dd>
        </dl>
      </Section>
      <Section title="Lines" testId="order-lines">
        <table>
          <caption className="sr-only">Lines of {order.reference}</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Quantity</th>
              <th scope="col">Unit price</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.variant.name} <span className="sku">{l.sku}</span>
                </td>
                <td>{l.quantity}</td>
                <td>
                  <Price money={l.unitPrice} />
                </td>
                <td>
                  <Price money={l.total} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Logistic orders" testId="order-logistic">
        <ul className="plain">
          {order.logisticOrders.map((lo) => (
            <li key={lo.id}>
              {lo.reference} · {lo.supplier.name} · {lo.status} · <Price money={lo.total} />
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Payments" testId="order-payments">
        <ul className="plain">
          {order.payments.map((p) => (
            <li key={p.id}>
              {p.method?.name ?? "payment"} · {p.status} · <Price money={p.amount} />
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Events" testId="order-events">
        <ol className="events">
          {order.events.map((e) => (
            <li key={e.id} data-type={e.type}>
              <time dateTime={e.at}>{new Date(e.at).toLocaleString("en-GB")}</time> {e.type}
              {e.detail ? `: ${e.detail}` : ""}
              {e.actor ? ` (${e.actor})` : ""}
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}
