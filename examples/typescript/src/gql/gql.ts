/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignIn($email: String!, $password: String!) {\n    createToken(email: $email, password: $password) { token expiresAt errors { code message } }\n  }\n": typeof types.SignInDocument,
    "\n  query Me {\n    viewer { clientType account { name addresses { id externalId isShipping isBilling } } }\n  }\n": typeof types.MeDocument,
    "\n  query Catalog($first: Int) {\n    products(first: $first) {\n      totalCount\n      edges { node { name variants { sku offers { id available minQuantity packSize price { amount currency } } } } }\n    }\n  }\n": typeof types.CatalogDocument,
    "\n  mutation CreateDraft {\n    createDraftOrder {\n      draftOrder { id version status issues { code message blocking lineId } total { amount currency } }\n      errors { code message field index }\n    }\n  }\n": typeof types.CreateDraftDocument,
    "\n  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!, $version: Int) {\n    addDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {\n      draftOrder { id version lines { id sku quantity unitPrice { amount } } issues { code message blocking } total { amount currency } }\n      errors { code message field index }\n      warnings { code message }\n    }\n  }\n": typeof types.AddLinesDocument,
    "\n  mutation SetAddresses($id: ID!, $shipping: ID!, $billing: ID!, $version: Int) {\n    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {\n      draftOrder { id version issues { code message blocking } shippingAddress { externalId } billingAddress { externalId } }\n      errors { code message field }\n    }\n  }\n": typeof types.SetAddressesDocument,
    "\n  mutation Place($id: ID!, $key: String) {\n    placeDraftOrder(id: $id, input: { idempotencyKey: $key }) {\n      order { id reference status placedAt total { amount currency } logisticOrders { reference status supplier { name } } }\n      nextStep\n      errors { code message }\n    }\n  }\n": typeof types.PlaceDocument,
    "\n  query MyOrders {\n    orders(first: 20) { totalCount edges { node { id reference status placedAt total { amount currency } } } }\n  }\n": typeof types.MyOrdersDocument,
    "\n  query MyQuotes {\n    quotes(first: 20) { edges { node { id externalId status expiresAt } } }\n  }\n": typeof types.MyQuotesDocument,
    "\n  mutation DraftFromQuote($quoteId: ID!) {\n    createDraftOrderFromQuote(quoteId: $quoteId) {\n      draftOrder { id status source { type id } lines { sku quantity unitPrice { amount } } total { amount currency } }\n      errors { code message }\n      warnings { code message }\n    }\n  }\n": typeof types.DraftFromQuoteDocument,
    "\n  query MyCart {\n    cart { id version }\n  }\n": typeof types.MyCartDocument,
    "\n  mutation CheckoutCart($input: CheckoutCartInput!) {\n    checkoutCart(input: $input) {\n      result {\n        __typename\n        ... on RedirectPayment { nextStep orderKey order { id status paymentStatus } }\n        ... on DirectPayment { orderKey }\n      }\n      errors { code message }\n    }\n  }\n": typeof types.CheckoutCartDocument,
    "\n  query OrderPayment($id: ID!) {\n    order(id: $id) { status paymentStatus }\n  }\n": typeof types.OrderPaymentDocument,
};
const documents: Documents = {
    "\n  mutation SignIn($email: String!, $password: String!) {\n    createToken(email: $email, password: $password) { token expiresAt errors { code message } }\n  }\n": types.SignInDocument,
    "\n  query Me {\n    viewer { clientType account { name addresses { id externalId isShipping isBilling } } }\n  }\n": types.MeDocument,
    "\n  query Catalog($first: Int) {\n    products(first: $first) {\n      totalCount\n      edges { node { name variants { sku offers { id available minQuantity packSize price { amount currency } } } } }\n    }\n  }\n": types.CatalogDocument,
    "\n  mutation CreateDraft {\n    createDraftOrder {\n      draftOrder { id version status issues { code message blocking lineId } total { amount currency } }\n      errors { code message field index }\n    }\n  }\n": types.CreateDraftDocument,
    "\n  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!, $version: Int) {\n    addDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {\n      draftOrder { id version lines { id sku quantity unitPrice { amount } } issues { code message blocking } total { amount currency } }\n      errors { code message field index }\n      warnings { code message }\n    }\n  }\n": types.AddLinesDocument,
    "\n  mutation SetAddresses($id: ID!, $shipping: ID!, $billing: ID!, $version: Int) {\n    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {\n      draftOrder { id version issues { code message blocking } shippingAddress { externalId } billingAddress { externalId } }\n      errors { code message field }\n    }\n  }\n": types.SetAddressesDocument,
    "\n  mutation Place($id: ID!, $key: String) {\n    placeDraftOrder(id: $id, input: { idempotencyKey: $key }) {\n      order { id reference status placedAt total { amount currency } logisticOrders { reference status supplier { name } } }\n      nextStep\n      errors { code message }\n    }\n  }\n": types.PlaceDocument,
    "\n  query MyOrders {\n    orders(first: 20) { totalCount edges { node { id reference status placedAt total { amount currency } } } }\n  }\n": types.MyOrdersDocument,
    "\n  query MyQuotes {\n    quotes(first: 20) { edges { node { id externalId status expiresAt } } }\n  }\n": types.MyQuotesDocument,
    "\n  mutation DraftFromQuote($quoteId: ID!) {\n    createDraftOrderFromQuote(quoteId: $quoteId) {\n      draftOrder { id status source { type id } lines { sku quantity unitPrice { amount } } total { amount currency } }\n      errors { code message }\n      warnings { code message }\n    }\n  }\n": types.DraftFromQuoteDocument,
    "\n  query MyCart {\n    cart { id version }\n  }\n": types.MyCartDocument,
    "\n  mutation CheckoutCart($input: CheckoutCartInput!) {\n    checkoutCart(input: $input) {\n      result {\n        __typename\n        ... on RedirectPayment { nextStep orderKey order { id status paymentStatus } }\n        ... on DirectPayment { orderKey }\n      }\n      errors { code message }\n    }\n  }\n": types.CheckoutCartDocument,
    "\n  query OrderPayment($id: ID!) {\n    order(id: $id) { status paymentStatus }\n  }\n": types.OrderPaymentDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($email: String!, $password: String!) {\n    createToken(email: $email, password: $password) { token expiresAt errors { code message } }\n  }\n"): (typeof documents)["\n  mutation SignIn($email: String!, $password: String!) {\n    createToken(email: $email, password: $password) { token expiresAt errors { code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    viewer { clientType account { name addresses { id externalId isShipping isBilling } } }\n  }\n"): (typeof documents)["\n  query Me {\n    viewer { clientType account { name addresses { id externalId isShipping isBilling } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Catalog($first: Int) {\n    products(first: $first) {\n      totalCount\n      edges { node { name variants { sku offers { id available minQuantity packSize price { amount currency } } } } }\n    }\n  }\n"): (typeof documents)["\n  query Catalog($first: Int) {\n    products(first: $first) {\n      totalCount\n      edges { node { name variants { sku offers { id available minQuantity packSize price { amount currency } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDraft {\n    createDraftOrder {\n      draftOrder { id version status issues { code message blocking lineId } total { amount currency } }\n      errors { code message field index }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateDraft {\n    createDraftOrder {\n      draftOrder { id version status issues { code message blocking lineId } total { amount currency } }\n      errors { code message field index }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!, $version: Int) {\n    addDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {\n      draftOrder { id version lines { id sku quantity unitPrice { amount } } issues { code message blocking } total { amount currency } }\n      errors { code message field index }\n      warnings { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!, $version: Int) {\n    addDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {\n      draftOrder { id version lines { id sku quantity unitPrice { amount } } issues { code message blocking } total { amount currency } }\n      errors { code message field index }\n      warnings { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAddresses($id: ID!, $shipping: ID!, $billing: ID!, $version: Int) {\n    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {\n      draftOrder { id version issues { code message blocking } shippingAddress { externalId } billingAddress { externalId } }\n      errors { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation SetAddresses($id: ID!, $shipping: ID!, $billing: ID!, $version: Int) {\n    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {\n      draftOrder { id version issues { code message blocking } shippingAddress { externalId } billingAddress { externalId } }\n      errors { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Place($id: ID!, $key: String) {\n    placeDraftOrder(id: $id, input: { idempotencyKey: $key }) {\n      order { id reference status placedAt total { amount currency } logisticOrders { reference status supplier { name } } }\n      nextStep\n      errors { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation Place($id: ID!, $key: String) {\n    placeDraftOrder(id: $id, input: { idempotencyKey: $key }) {\n      order { id reference status placedAt total { amount currency } logisticOrders { reference status supplier { name } } }\n      nextStep\n      errors { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrders {\n    orders(first: 20) { totalCount edges { node { id reference status placedAt total { amount currency } } } }\n  }\n"): (typeof documents)["\n  query MyOrders {\n    orders(first: 20) { totalCount edges { node { id reference status placedAt total { amount currency } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyQuotes {\n    quotes(first: 20) { edges { node { id externalId status expiresAt } } }\n  }\n"): (typeof documents)["\n  query MyQuotes {\n    quotes(first: 20) { edges { node { id externalId status expiresAt } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DraftFromQuote($quoteId: ID!) {\n    createDraftOrderFromQuote(quoteId: $quoteId) {\n      draftOrder { id status source { type id } lines { sku quantity unitPrice { amount } } total { amount currency } }\n      errors { code message }\n      warnings { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation DraftFromQuote($quoteId: ID!) {\n    createDraftOrderFromQuote(quoteId: $quoteId) {\n      draftOrder { id status source { type id } lines { sku quantity unitPrice { amount } } total { amount currency } }\n      errors { code message }\n      warnings { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyCart {\n    cart { id version }\n  }\n"): (typeof documents)["\n  query MyCart {\n    cart { id version }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckoutCart($input: CheckoutCartInput!) {\n    checkoutCart(input: $input) {\n      result {\n        __typename\n        ... on RedirectPayment { nextStep orderKey order { id status paymentStatus } }\n        ... on DirectPayment { orderKey }\n      }\n      errors { code message }\n    }\n  }\n"): (typeof documents)["\n  mutation CheckoutCart($input: CheckoutCartInput!) {\n    checkoutCart(input: $input) {\n      result {\n        __typename\n        ... on RedirectPayment { nextStep orderKey order { id status paymentStatus } }\n        ... on DirectPayment { orderKey }\n      }\n      errors { code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderPayment($id: ID!) {\n    order(id: $id) { status paymentStatus }\n  }\n"): (typeof documents)["\n  query OrderPayment($id: ID!) {\n    order(id: $id) { status paymentStatus }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;