// The storefront flow of docs/clients.md against a live gateway with the demo data:
// token, catalog, draft, lines, issues, addresses, placement, orders list, draft from a quote, cart checkout
// with a redirect payment approved on the sandbox page.
// Usage: node dist/flow.js http://127.0.0.1:8000/graphql
import { Gateway, GatewayError } from "./client.js";
import { graphql } from "./gql/index.js";

const SignIn = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    createToken(email: $email, password: $password) { token expiresAt errors { code message } }
  }
`);
const Me = graphql(`
  query Me {
    viewer { clientType account { name addresses { id externalId isShipping isBilling } } }
  }
`);
const Catalog = graphql(`
  query Catalog($first: Int) {
    products(first: $first) {
      totalCount
      edges { node { name variants { sku offers { id available minQuantity packSize price { amount currency } } } } }
    }
  }
`);
const CreateDraft = graphql(`
  mutation CreateDraft {
    createDraftOrder {
      draftOrder { id version status issues { code message blocking lineId } total { amount currency } }
      errors { code message field index }
    }
  }
`);
const AddLines = graphql(`
  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!, $version: Int) {
    addDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {
      draftOrder { id version lines { id sku quantity unitPrice { amount } } issues { code message blocking } total { amount currency } }
      errors { code message field index }
      warnings { code message }
    }
  }
`);
const SetAddresses = graphql(`
  mutation SetAddresses($id: ID!, $shipping: ID!, $billing: ID!, $version: Int) {
    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {
      draftOrder { id version issues { code message blocking } shippingAddress { externalId } billingAddress { externalId } }
      errors { code message field }
    }
  }
`);
const Place = graphql(`
  mutation Place($id: ID!, $key: String) {
    placeDraftOrder(id: $id, input: { idempotencyKey: $key }) {
      order { id reference status placedAt total { amount currency } logisticOrders { reference status supplier { name } } }
      nextStep
      errors { code message }
    }
  }
`);
const MyOrders = graphql(`
  query MyOrders {
    orders(first: 20) { totalCount edges { node { id reference status placedAt total { amount currency } } } }
  }
`);
const MyQuotes = graphql(`
  query MyQuotes {
    quotes(first: 20) { edges { node { id externalId status expiresAt } } }
  }
`);
const DraftFromQuote = graphql(`
  mutation DraftFromQuote($quoteId: ID!) {
    createDraftOrderFromQuote(quoteId: $quoteId) {
      draftOrder { id status source { type id } lines { sku quantity unitPrice { amount } } total { amount currency } }
      errors { code message }
      warnings { code message }
    }
  }
`);

const MyCart = graphql(`
  query MyCart {
    cart { id version }
  }
`);
const CheckoutCart = graphql(`
  mutation CheckoutCart($input: CheckoutCartInput!) {
    checkoutCart(input: $input) {
      result {
        __typename
        ... on RedirectPayment { nextStep orderKey order { id status paymentStatus } }
        ... on DirectPayment { orderKey }
      }
      errors { code message }
    }
  }
`);
const OrderPayment = graphql(`
  query OrderPayment($id: ID!) {
    order(id: $id) { status paymentStatus }
  }
`);

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`flow check failed: ${message}`);
}

async function main(): Promise<void> {
  const url = process.argv[2] ?? "http://127.0.0.1:8000/graphql";
  const anonymous = new Gateway(url, { "dj-api-key": "demo-tenant-key", "dj-client": "ACCOUNT" });
  const steps: string[] = [];

  // A field that needs a user, without a token: the uniform 401.
  try {
    await anonymous.execute(MyOrders, {});
    check(false, "orders without a token must fail");
  } catch (error) {
    check(error instanceof GatewayError && error.status === 401 && error.code === "UNAUTHENTICATED", String(error));
  }
  steps.push("unauthenticated");

  const signIn = await anonymous.execute(SignIn, { email: "buyer@acme.example", password: "demo-password" });
  const token: string | null | undefined = signIn.createToken.token;
  check(token && signIn.createToken.errors.length === 0, "createToken");
  const expiresAt: string | null | undefined = signIn.createToken.expiresAt; // DateTime: an ISO 8601 string
  check(expiresAt && !Number.isNaN(Date.parse(expiresAt)), "expiresAt is ISO 8601");
  const buyer = anonymous.with({ authorization: `Bearer ${token}` });
  steps.push("token");

  const me = await buyer.execute(Me, {});
  const addresses = me.viewer.account?.addresses ?? [];
  const shipping = addresses.find((a) => a.isShipping);
  const billing = addresses.find((a) => a.isBilling);
  check(shipping && billing, "the buyer's account has addresses");

  const catalog = await buyer.execute(Catalog, { first: 50 });
  const offers = catalog.products.edges.flatMap((e) => e.node.variants.flatMap((v) => v.offers.map((o) => ({ sku: v.sku, ...o }))));
  const offer = offers.find((o) => o.available);
  check(offer, "an available offer");
  const amount: string = offer.price.amount; // Decimal: an exact decimal string
  check(/^\d+(\.\d+)?$/.test(amount), "price is a decimal string");
  steps.push("catalog");

  const created = await buyer.execute(CreateDraft, {});
  const draft = created.createDraftOrder.draftOrder;
  check(draft && created.createDraftOrder.errors.length === 0, "createDraftOrder");
  steps.push("draft");

  const quantity = Math.ceil(offer.minQuantity / offer.packSize) * offer.packSize;
  const added = await buyer.execute(AddLines, { id: draft.id, lines: [{ offerId: offer.id, quantity }], version: draft.version });
  const withLines = added.addDraftOrderLines.draftOrder;
  check(withLines && added.addDraftOrderLines.errors.length === 0 && withLines.lines.length === 1, "addDraftOrderLines");
  steps.push("lines");

  const blocking = withLines.issues.filter((i) => i.blocking).map((i) => i.code);
  check(blocking.includes("SHIPPING_ADDRESS_REQUIRED") && blocking.includes("BILLING_ADDRESS_REQUIRED"), `issues ${blocking}`);
  steps.push("issues");

  const updated = await buyer.execute(SetAddresses, { id: draft.id, shipping: shipping.id, billing: billing.id, version: withLines.version });
  const ready = updated.updateDraftOrder.draftOrder;
  check(ready && ready.issues.filter((i) => i.blocking).length === 0, "no blocking issue once addressed");
  steps.push("addresses");

  const placed = await buyer.execute(Place, { id: draft.id, key: `ts-flow-${draft.id}` });
  const order = placed.placeDraftOrder.order;
  check(order && placed.placeDraftOrder.errors.length === 0 && order.status === "PLACED", "placeDraftOrder");
  check(order.logisticOrders.length >= 1, "split into logistic orders");
  steps.push("placement");

  const orders = await buyer.execute(MyOrders, {});
  check(orders.orders.edges.some((e) => e.node.id === order.id), "the order is listed");
  steps.push("orders");

  const quotes = await buyer.execute(MyQuotes, {});
  const quote = quotes.quotes.edges
    .map((e) => e.node)
    .find((q) => q.status === "WAITING_FOR_CUSTOMER" && q.expiresAt !== null && q.expiresAt !== undefined && Date.parse(q.expiresAt) > Date.now());
  check(quote, "a quote waiting for the customer");
  const fromQuote = await buyer.execute(DraftFromQuote, { quoteId: quote.id });
  const quoteDraft = fromQuote.createDraftOrderFromQuote.draftOrder;
  check(quoteDraft && quoteDraft.status === "DRAFT_ON_HOLD" && quoteDraft.lines.length > 0, "draft from quote");
  check(quoteDraft.source?.type === "QUOTE", "the draft names its quote");
  steps.push("quote draft");

  // Cart checkout with a redirect payment: the gateway answers the sandbox page's URL; the buyer's browser
  // opens it and approves; the sandbox calls the gateway back, which places the order as paid.
  const cart = (await buyer.execute(MyCart, {})).cart;
  const cartOffer = offers.find((o) => o.available && (o.sku === "NOTEBOOK" || o.sku === "PAPER-A4"));
  check(cartOffer, "an offer of NOTEBOOK or PAPER-A4");
  const filled = await buyer.execute(AddLines, { id: cart.id, lines: [{ offerId: cartOffer.id, quantity: 10 }], version: cart.version });
  check(filled.addDraftOrderLines.errors.length === 0 && filled.addDraftOrderLines.draftOrder?.lines.length === 1, "cart lines");
  const checkout = await buyer.execute(CheckoutCart, {
    input: { addressId: "ACME-HQ", paymentMethodId: "card-redirect", shippingMethodId: "standard" },
  });
  const errors = checkout.checkoutCart.errors.map((e) => `${e.code}: ${e.message}`);
  check(errors.length === 0, `checkoutCart errors ${errors}`);
  const payment = checkout.checkoutCart.result;
  check(payment?.__typename === "RedirectPayment", `RedirectPayment expected, got ${payment?.__typename}`);
  check(payment.order.status === "PAYMENT_PENDING", `order ${payment.order.status}`);
  const page = await fetch(payment.nextStep, { redirect: "manual" });
  const html = await page.text();
  check(page.status === 200 && /<form method="post">/.test(html) && /name="decision" value="approve"/.test(html), "the payment page");
  const decision = await fetch(payment.nextStep, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ decision: "approve" }),
    redirect: "manual",
  });
  const location = decision.headers.get("location") ?? "";
  check(decision.status === 303 && location.includes("status=APPROVED"), `approve: ${decision.status} ${location}`);
  const paid = (await buyer.execute(OrderPayment, { id: payment.orderKey })).order;
  check(paid?.status === "PLACED" && paid.paymentStatus === "PAID", `paid order ${paid?.status} ${paid?.paymentStatus}`);
  steps.push("cart checkout");

  console.log(JSON.stringify({ client: "typescript", steps, order: order.reference, total: order.total.amount }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
