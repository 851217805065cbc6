// Every GraphQL document the storefront sends: typed by graphql-codegen's client preset (src/gql), and in the
// production build sent by id only (the manifest of exactly these documents is emitted with the bundle).
import { graphql } from "./gql";

export const MoneyFields = graphql(`
  fragment MoneyFields on Money { amount currency }
`);

export const ErrorFields = graphql(`
  fragment ErrorFields on UserError { code message field index lineId blocking }
`);

export const SignIn = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    createToken(email: $email, password: $password) { token expiresAt errors { ...ErrorFields } }
  }
`);

export const Session = graphql(`
  query Session {
    viewer {
      clientType
      currency
      user { id email firstName lastName accounts { id externalId name } }
      account { id externalId name addresses { id externalId fullName street city country isShipping isBilling isDefault } }
      store { id externalId name currency }
    }
  }
`);

export const Catalog = graphql(`
  query Catalog($search: String, $first: Int, $after: String, $last: Int, $before: String) {
    products(search: $search, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        node {
          id
          name
          description
          variants {
            id
            sku
            name
            offers {
              id
              available
              stock
              minQuantity
              maxQuantity
              packSize
              supplier { id name }
              price { ...MoneyFields }
              priceTiers { minQuantity unitPrice { ...MoneyFields } }
            }
          }
        }
      }
    }
  }
`);

export const DraftFields = graphql(`
  fragment DraftFields on DraftOrder {
    id
    reference
    status
    paymentStatus
    version
    isCart
    source { type id }
    subtotal { ...MoneyFields }
    shippingTotal { ...MoneyFields }
    discountTotal { ...MoneyFields }
    taxTotal { ...MoneyFields }
    total { ...MoneyFields }
    amountSaved { ...MoneyFields }
    voucher { code discount { ...MoneyFields } }
    shippingAddress { id externalId }
    billingAddress { id externalId }
    shippingMethod { id code name }
    lines {
      id
      sku
      quantity
      promotion
      unitPrice { ...MoneyFields }
      total { ...MoneyFields }
      variant { id name }
      offer { id packSize minQuantity maxQuantity supplier { id name } }
    }
    issues { ...ErrorFields }
    logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }
  }
`);

export const Draft = graphql(`
  query Draft($id: ID!) {
    draftOrder(id: $id) { ...DraftFields }
  }
`);

export const Cart = graphql(`
  query Cart {
    cart { ...DraftFields }
    shippingMethods { id code name price { ...MoneyFields } }
  }
`);

export const CartPaymentMethods = graphql(`
  query CartPaymentMethods($draftOrderId: ID!) {
    paymentMethods(draftOrderId: $draftOrderId) { id code name kind }
  }
`);

export const Drafts = graphql(`
  query Drafts {
    draftOrders(first: 20) {
      totalCount
      edges { node { id reference status isCart source { type id } total { ...MoneyFields } } }
    }
    quotes(first: 20) { edges { node { id externalId name status expiresAt } } }
    operations(first: 20) { edges { node { id externalId name type status startsAt endsAt } } }
  }
`);

export const CreateDraft = graphql(`
  mutation CreateDraft($lines: [DraftOrderLineInput!]) {
    createDraftOrder(input: { lines: $lines }) {
      draftOrder { ...DraftFields }
      errors { ...ErrorFields }
      warnings { ...ErrorFields }
    }
  }
`);

export const DraftFromQuote = graphql(`
  mutation DraftFromQuote($quoteId: ID!) {
    createDraftOrderFromQuote(quoteId: $quoteId) {
      draftOrder { ...DraftFields }
      errors { ...ErrorFields }
      warnings { ...ErrorFields }
    }
  }
`);

export const DraftFromOperation = graphql(`
  mutation DraftFromOperation($operationId: ID!) {
    createDraftOrderFromOperation(operationId: $operationId, full: true) {
      draftOrder { ...DraftFields }
      errors { ...ErrorFields }
      warnings { ...ErrorFields }
    }
  }
`);

export const AddLines = graphql(`
  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!) {
    addDraftOrderLines(draftOrderId: $id, lines: $lines) {
      draftOrder { ...DraftFields }
      errors { ...ErrorFields }
      warnings { ...ErrorFields }
    }
  }
`);

export const UpdateLines = graphql(`
  mutation UpdateLines($id: ID!, $lines: [DraftOrderLineUpdateInput!]!, $version: Int) {
    updateDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {
      draftOrder { ...DraftFields }
      errors { ...ErrorFields }
      warnings { ...ErrorFields }
    }
  }
`);

export const RemoveLines = graphql(`
  mutation RemoveLines($id: ID!, $lineIds: [ID!]!, $version: Int) {
    removeDraftOrderLines(draftOrderId: $id, lineIds: $lineIds, expectedVersion: $version) {
      draftOrder { ...DraftFields }
      errors { ...ErrorFields }
    }
  }
`);

export const SyncDraft = graphql(`
  mutation SyncDraft($id: ID!) {
    syncDraftOrder(id: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } warnings { ...ErrorFields } }
  }
`);

export const SetAddresses = graphql(`
  mutation SetAddresses($id: ID!, $shipping: ID, $billing: ID, $version: Int) {
    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {
      draftOrder { ...DraftFields }
      errors { ...ErrorFields }
    }
  }
`);

export const Place = graphql(`
  mutation Place($id: ID!, $key: String!, $version: Int) {
    placeDraftOrder(id: $id, input: { idempotencyKey: $key, expectedVersion: $version }) {
      order { id reference status paymentStatus }
      draftOrder { ...DraftFields }
      errors { ...ErrorFields }
    }
  }
`);

export const ApplyVoucher = graphql(`
  mutation ApplyVoucher($id: ID!, $code: String!) {
    applyVoucher(draftOrderId: $id, code: $code) { draftOrder { ...DraftFields } errors { ...ErrorFields } }
  }
`);

export const RemoveVoucher = graphql(`
  mutation RemoveVoucher($id: ID!) {
    removeVoucher(draftOrderId: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } }
  }
`);

export const CheckoutCart = graphql(`
  mutation CheckoutCart($input: CheckoutCartInput!) {
    checkoutCart(input: $input) {
      result {
        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }
        ... on DirectPayment { orderKey order { id reference status paymentStatus } }
        ... on ClientSecretPayment { orderKey order { id reference status paymentStatus } }
      }
      draftOrder { ...DraftFields }
      errors { ...ErrorFields }
    }
  }
`);

export const PayOrder = graphql(`
  mutation PayOrder($orderKey: String!, $paymentMethodId: ID!, $key: String!, $returnUrl: String) {
    payOrder(orderKey: $orderKey, paymentMethodId: $paymentMethodId, idempotencyKey: $key, returnUrl: $returnUrl) {
      result {
        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }
        ... on DirectPayment { orderKey order { id reference status paymentStatus } }
        ... on ClientSecretPayment { orderKey order { id reference status paymentStatus } }
      }
      errors { ...ErrorFields }
    }
  }
`);

export const OrderPaymentMethods = graphql(`
  query OrderPaymentMethods {
    paymentMethods { id code name kind }
  }
`);

export const Orders = graphql(`
  query Orders($filter: OrderFilter, $orderBy: [OrderSort!], $first: Int, $after: String) {
    orders(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id reference status paymentStatus placedAt createdAt total { ...MoneyFields } } }
    }
  }
`);

export const OrderDetail = graphql(`
  query OrderDetail($id: ID!) {
    draftOrder(id: $id) { id reference status isCart }
    order(id: $id) {
      id
      reference
      status
      paymentStatus
      placedAt
      source { type id }
      subtotal { ...MoneyFields }
      shippingTotal { ...MoneyFields }
      discountTotal { ...MoneyFields }
      total { ...MoneyFields }
      amountSaved { ...MoneyFields }
      outstandingAmount { ...MoneyFields }
      voucher { code discount { ...MoneyFields } }
      shippingAddress { id externalId street city }
      shippingMethod { id name }
      lines { id sku quantity unitPrice { ...MoneyFields } total { ...MoneyFields } variant { id name } }
      logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }
      payments { id status amount { ...MoneyFields } method { id code name } }
      events { id type at actor detail }
    }
  }
`);
