// The cart checkout: the cart (a draft order) with a voucher, then shipping, payment method and address in one
// checkoutCart; a redirect payment continues on the provider's page, a direct one shows the order at once.
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import type { Nav, PendingPayment } from "../App";
import { ApplyVoucher, Cart, CartPaymentMethods, CheckoutCart, RemoveVoucher, Session } from "../documents";
import { Errors, Failure, Loading, Price, Section, newKey, type UserError } from "../ui";
import { DraftView } from "./DraftView";

export const returnUrl = () => `${window.location.origin}/payment-return`;

export function CartPage({ nav, addPayment }: { nav: Nav; addPayment: (p: PendingPayment) => void }) {
  const [{ data, fetching, error }] = useQuery({ query: Cart });
  const cartId = data?.cart.id ?? "";
  const [methods] = useQuery({ query: CartPaymentMethods, variables: { draftOrderId: cartId }, pause: !cartId });
  const [session] = useQuery({ query: Session });
  const [voucher, doVoucher] = useMutation(ApplyVoucher);
  const [unvoucher, doUnvoucher] = useMutation(RemoveVoucher);
  const [checkout, doCheckout] = useMutation(CheckoutCart);
  const [code, setCode] = useState("");
  const [voucherErrors, setVoucherErrors] = useState<UserError[]>([]);
  const [checkoutErrors, setCheckoutErrors] = useState<UserError[]>([]);
  const [address, setAddress] = useState("");
  const [shipping, setShipping] = useState("");
  const [payment, setPayment] = useState("");
  const [key] = useState(() => newKey("storefront-checkout"));

  if (fetching && !data) return <Loading what="your cart" />;
  if (error && !data) return <Failure error={error} />;
  if (!data) return null;
  const cart = data.cart;
  const addresses = (session.data?.viewer.account?.addresses ?? []).filter((a) => a.isShipping && a.isBilling);
  const onField = (errors: UserError[], name: string) => errors.filter((e) => e.field?.includes(name));
  const general = (errors: UserError[], names: string[]) => errors.filter((e) => !e.field?.some((f) => names.includes(f)));

  async function applyCode() {
    const r = await doVoucher({ id: cart.id, code: code.trim() });
    setVoucherErrors([...(r.data?.applyVoucher.errors ?? [])]);
  }

  async function removeCode() {
    const r = await doUnvoucher({ id: cart.id });
    setVoucherErrors([...(r.data?.removeVoucher.errors ?? [])]);
  }

  async function pay() {
    const r = await doCheckout({
      input: { addressId: address, shippingMethodId: shipping, paymentMethodId: payment, idempotencyKey: key, returnUrl: returnUrl() },
    });
    const p = r.data?.checkoutCart;
    setCheckoutErrors([...(p?.errors ?? [])]);
    const result = p?.result;
    if (!result) return;
    if (result.__typename === "RedirectPayment") addPayment({ orderKey: result.orderKey, nextStep: result.nextStep });
    nav({ page: "order", id: result.orderKey });
  }

  return (
    <>
      <h1>Cart</h1>
      <Section title="Lines" testId="cart-lines">
        <DraftView draft={cart} />
      </Section>
      <Section title="Voucher" testId="voucher">
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            void applyCode();
          }}
        >
          <label>
            Voucher code
            <input name="voucher" value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
          <button type="submit" disabled={voucher.fetching || !code.trim()}>
            Apply voucher
          </button>
          {cart.voucher && (
            <button type="button" onClick={removeCode} disabled={unvoucher.fetching}>
              Remove voucher {cart.voucher.code}
            </button>
          )}
        </form>
        <Errors errors={voucherErrors} testId="voucher-errors" />
        <Failure error={voucher.error ?? unvoucher.error} />
        {cart.voucher && (
          <p role="status" data-testid="voucher-applied">
            {cart.voucher.code} applied: you save <Price money={cart.amountSaved} /> before tax.
          </p>
        )}
      </Section>
      <Section title="Checkout" testId="checkout">
        <form
          className="grid"
          onSubmit={(e) => {
            e.preventDefault();
            void pay();
          }}
        >
          <label>
            Address (shipping and billing)
            <select name="address" value={address} onChange={(e) => setAddress(e.target.value)}>
              <option value="">Choose…</option>
              {addresses.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.externalId}: {a.street}, {a.city}
                </option>
              ))}
            </select>
          </label>
          <Errors errors={onField(checkoutErrors, "addressId")} />
          <label>
            Shipping method
            <select name="shipping" value={shipping} onChange={(e) => setShipping(e.target.value)}>
              <option value="">Choose…</option>
              {data.shippingMethods.map((m) => (
                <option key={m.id} value={m.code}>
                  {m.name} ({m.price.amount} {m.price.currency})
                </option>
              ))}
            </select>
          </label>
          <Errors errors={onField(checkoutErrors, "shippingMethodId")} />
          <label>
            Payment method
            <select name="payment" value={payment} onChange={(e) => setPayment(e.target.value)}>
              <option value="">Choose…</option>
              {(methods.data?.paymentMethods ?? []).map((m) => (
                <option key={m.id} value={m.code}>
                  {m.name} ({m.kind === "REDIRECT" ? "on the provider's page" : "no redirect"})
                </option>
              ))}
            </select>
          </label>
          <Errors errors={onField(checkoutErrors, "paymentMethodId")} />
          <Errors errors={general(checkoutErrors, ["addressId", "shippingMethodId", "paymentMethodId"])} testId="checkout-errors" />
          <Failure error={checkout.error ?? methods.error} />
          <button type="submit" disabled={checkout.fetching || !address || !shipping || !payment}>
            {checkout.fetching ? "Checking out…" : `Check out ${cart.total.amount} ${cart.total.currency}`}
          </button>
        </form>
      </Section>
    </>
  );
}
