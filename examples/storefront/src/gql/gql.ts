/* eslint-disable */
import * as types from './graphql';
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
    "\n  fragment MoneyFields on Money { amount currency }\n": typeof types.MoneyFieldsFragmentDoc,
    "\n  fragment ErrorFields on UserError { code message field index lineId blocking }\n": typeof types.ErrorFieldsFragmentDoc,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    createToken(email: $email, password: $password) { token expiresAt errors { ...ErrorFields } }\n  }\n": typeof types.SignInDocument,
    "\n  query Session {\n    viewer {\n      clientType\n      currency\n      user { id email firstName lastName accounts { id externalId name } }\n      account { id externalId name addresses { id externalId fullName street city country isShipping isBilling isDefault } }\n      store { id externalId name currency }\n    }\n  }\n": typeof types.SessionDocument,
    "\n  query Catalog($search: String, $first: Int, $after: String, $last: Int, $before: String) {\n    products(search: $search, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          description\n          variants {\n            id\n            sku\n            name\n            offers {\n              id\n              available\n              stock\n              minQuantity\n              maxQuantity\n              packSize\n              supplier { id name }\n              price { ...MoneyFields }\n              priceTiers { minQuantity unitPrice { ...MoneyFields } }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.CatalogDocument,
    "\n  fragment DraftFields on DraftOrder {\n    id\n    reference\n    status\n    paymentStatus\n    version\n    isCart\n    source { type id }\n    subtotal { ...MoneyFields }\n    shippingTotal { ...MoneyFields }\n    discountTotal { ...MoneyFields }\n    taxTotal { ...MoneyFields }\n    total { ...MoneyFields }\n    amountSaved { ...MoneyFields }\n    voucher { code discount { ...MoneyFields } }\n    shippingAddress { id externalId }\n    billingAddress { id externalId }\n    shippingMethod { id code name }\n    lines {\n      id\n      sku\n      quantity\n      promotion\n      unitPrice { ...MoneyFields }\n      total { ...MoneyFields }\n      variant { id name }\n      offer { id packSize minQuantity maxQuantity supplier { id name } }\n    }\n    issues { ...ErrorFields }\n    logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }\n  }\n": typeof types.DraftFieldsFragmentDoc,
    "\n  query Draft($id: ID!) {\n    draftOrder(id: $id) { ...DraftFields }\n  }\n": typeof types.DraftDocument,
    "\n  query Cart {\n    cart { ...DraftFields }\n    shippingMethods { id code name price { ...MoneyFields } }\n  }\n": typeof types.CartDocument,
    "\n  query CartPaymentMethods($draftOrderId: ID!) {\n    paymentMethods(draftOrderId: $draftOrderId) { id code name kind }\n  }\n": typeof types.CartPaymentMethodsDocument,
    "\n  query Drafts {\n    draftOrders(first: 20) {\n      totalCount\n      edges { node { id reference status isCart source { type id } total { ...MoneyFields } } }\n    }\n    quotes(first: 20) { edges { node { id externalId name status expiresAt } } }\n    operations(first: 20) { edges { node { id externalId name type status startsAt endsAt } } }\n  }\n": typeof types.DraftsDocument,
    "\n  mutation CreateDraft($lines: [DraftOrderLineInput!]) {\n    createDraftOrder(input: { lines: $lines }) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": typeof types.CreateDraftDocument,
    "\n  mutation DraftFromQuote($quoteId: ID!) {\n    createDraftOrderFromQuote(quoteId: $quoteId) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": typeof types.DraftFromQuoteDocument,
    "\n  mutation DraftFromOperation($operationId: ID!) {\n    createDraftOrderFromOperation(operationId: $operationId, full: true) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": typeof types.DraftFromOperationDocument,
    "\n  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!) {\n    addDraftOrderLines(draftOrderId: $id, lines: $lines) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": typeof types.AddLinesDocument,
    "\n  mutation UpdateLines($id: ID!, $lines: [DraftOrderLineUpdateInput!]!, $version: Int) {\n    updateDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": typeof types.UpdateLinesDocument,
    "\n  mutation RemoveLines($id: ID!, $lineIds: [ID!]!, $version: Int) {\n    removeDraftOrderLines(draftOrderId: $id, lineIds: $lineIds, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n": typeof types.RemoveLinesDocument,
    "\n  mutation SyncDraft($id: ID!) {\n    syncDraftOrder(id: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } warnings { ...ErrorFields } }\n  }\n": typeof types.SyncDraftDocument,
    "\n  mutation SetAddresses($id: ID!, $shipping: ID, $billing: ID, $version: Int) {\n    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n": typeof types.SetAddressesDocument,
    "\n  mutation Place($id: ID!, $key: String!, $version: Int) {\n    placeDraftOrder(id: $id, input: { idempotencyKey: $key, expectedVersion: $version }) {\n      order { id reference status paymentStatus }\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n": typeof types.PlaceDocument,
    "\n  mutation ApplyVoucher($id: ID!, $code: String!) {\n    applyVoucher(draftOrderId: $id, code: $code) { draftOrder { ...DraftFields } errors { ...ErrorFields } }\n  }\n": typeof types.ApplyVoucherDocument,
    "\n  mutation RemoveVoucher($id: ID!) {\n    removeVoucher(draftOrderId: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } }\n  }\n": typeof types.RemoveVoucherDocument,
    "\n  mutation CheckoutCart($input: CheckoutCartInput!) {\n    checkoutCart(input: $input) {\n      result {\n        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }\n        ... on DirectPayment { orderKey order { id reference status paymentStatus } }\n      }\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n": typeof types.CheckoutCartDocument,
    "\n  mutation PayOrder($orderKey: String!, $paymentMethodId: ID!, $key: String!, $returnUrl: String) {\n    payOrder(orderKey: $orderKey, paymentMethodId: $paymentMethodId, idempotencyKey: $key, returnUrl: $returnUrl) {\n      result {\n        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }\n        ... on DirectPayment { orderKey order { id reference status paymentStatus } }\n      }\n      errors { ...ErrorFields }\n    }\n  }\n": typeof types.PayOrderDocument,
    "\n  query OrderPaymentMethods {\n    paymentMethods { id code name kind }\n  }\n": typeof types.OrderPaymentMethodsDocument,
    "\n  query Orders($filter: OrderFilter, $orderBy: [OrderSort!], $first: Int, $after: String) {\n    orders(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id reference status paymentStatus placedAt createdAt total { ...MoneyFields } } }\n    }\n  }\n": typeof types.OrdersDocument,
    "\n  query OrderDetail($id: ID!) {\n    draftOrder(id: $id) { id reference status isCart }\n    order(id: $id) {\n      id\n      reference\n      status\n      paymentStatus\n      placedAt\n      source { type id }\n      subtotal { ...MoneyFields }\n      shippingTotal { ...MoneyFields }\n      discountTotal { ...MoneyFields }\n      total { ...MoneyFields }\n      amountSaved { ...MoneyFields }\n      outstandingAmount { ...MoneyFields }\n      voucher { code discount { ...MoneyFields } }\n      shippingAddress { id externalId street city }\n      shippingMethod { id name }\n      lines { id sku quantity unitPrice { ...MoneyFields } total { ...MoneyFields } variant { id name } }\n      logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }\n      payments { id status amount { ...MoneyFields } method { id code name } }\n      events { id type at actor detail }\n    }\n  }\n": typeof types.OrderDetailDocument,
};
const documents: Documents = {
    "\n  fragment MoneyFields on Money { amount currency }\n": types.MoneyFieldsFragmentDoc,
    "\n  fragment ErrorFields on UserError { code message field index lineId blocking }\n": types.ErrorFieldsFragmentDoc,
    "\n  mutation SignIn($email: String!, $password: String!) {\n    createToken(email: $email, password: $password) { token expiresAt errors { ...ErrorFields } }\n  }\n": types.SignInDocument,
    "\n  query Session {\n    viewer {\n      clientType\n      currency\n      user { id email firstName lastName accounts { id externalId name } }\n      account { id externalId name addresses { id externalId fullName street city country isShipping isBilling isDefault } }\n      store { id externalId name currency }\n    }\n  }\n": types.SessionDocument,
    "\n  query Catalog($search: String, $first: Int, $after: String, $last: Int, $before: String) {\n    products(search: $search, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          description\n          variants {\n            id\n            sku\n            name\n            offers {\n              id\n              available\n              stock\n              minQuantity\n              maxQuantity\n              packSize\n              supplier { id name }\n              price { ...MoneyFields }\n              priceTiers { minQuantity unitPrice { ...MoneyFields } }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.CatalogDocument,
    "\n  fragment DraftFields on DraftOrder {\n    id\n    reference\n    status\n    paymentStatus\n    version\n    isCart\n    source { type id }\n    subtotal { ...MoneyFields }\n    shippingTotal { ...MoneyFields }\n    discountTotal { ...MoneyFields }\n    taxTotal { ...MoneyFields }\n    total { ...MoneyFields }\n    amountSaved { ...MoneyFields }\n    voucher { code discount { ...MoneyFields } }\n    shippingAddress { id externalId }\n    billingAddress { id externalId }\n    shippingMethod { id code name }\n    lines {\n      id\n      sku\n      quantity\n      promotion\n      unitPrice { ...MoneyFields }\n      total { ...MoneyFields }\n      variant { id name }\n      offer { id packSize minQuantity maxQuantity supplier { id name } }\n    }\n    issues { ...ErrorFields }\n    logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }\n  }\n": types.DraftFieldsFragmentDoc,
    "\n  query Draft($id: ID!) {\n    draftOrder(id: $id) { ...DraftFields }\n  }\n": types.DraftDocument,
    "\n  query Cart {\n    cart { ...DraftFields }\n    shippingMethods { id code name price { ...MoneyFields } }\n  }\n": types.CartDocument,
    "\n  query CartPaymentMethods($draftOrderId: ID!) {\n    paymentMethods(draftOrderId: $draftOrderId) { id code name kind }\n  }\n": types.CartPaymentMethodsDocument,
    "\n  query Drafts {\n    draftOrders(first: 20) {\n      totalCount\n      edges { node { id reference status isCart source { type id } total { ...MoneyFields } } }\n    }\n    quotes(first: 20) { edges { node { id externalId name status expiresAt } } }\n    operations(first: 20) { edges { node { id externalId name type status startsAt endsAt } } }\n  }\n": types.DraftsDocument,
    "\n  mutation CreateDraft($lines: [DraftOrderLineInput!]) {\n    createDraftOrder(input: { lines: $lines }) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": types.CreateDraftDocument,
    "\n  mutation DraftFromQuote($quoteId: ID!) {\n    createDraftOrderFromQuote(quoteId: $quoteId) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": types.DraftFromQuoteDocument,
    "\n  mutation DraftFromOperation($operationId: ID!) {\n    createDraftOrderFromOperation(operationId: $operationId, full: true) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": types.DraftFromOperationDocument,
    "\n  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!) {\n    addDraftOrderLines(draftOrderId: $id, lines: $lines) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": types.AddLinesDocument,
    "\n  mutation UpdateLines($id: ID!, $lines: [DraftOrderLineUpdateInput!]!, $version: Int) {\n    updateDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n": types.UpdateLinesDocument,
    "\n  mutation RemoveLines($id: ID!, $lineIds: [ID!]!, $version: Int) {\n    removeDraftOrderLines(draftOrderId: $id, lineIds: $lineIds, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n": types.RemoveLinesDocument,
    "\n  mutation SyncDraft($id: ID!) {\n    syncDraftOrder(id: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } warnings { ...ErrorFields } }\n  }\n": types.SyncDraftDocument,
    "\n  mutation SetAddresses($id: ID!, $shipping: ID, $billing: ID, $version: Int) {\n    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n": types.SetAddressesDocument,
    "\n  mutation Place($id: ID!, $key: String!, $version: Int) {\n    placeDraftOrder(id: $id, input: { idempotencyKey: $key, expectedVersion: $version }) {\n      order { id reference status paymentStatus }\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n": types.PlaceDocument,
    "\n  mutation ApplyVoucher($id: ID!, $code: String!) {\n    applyVoucher(draftOrderId: $id, code: $code) { draftOrder { ...DraftFields } errors { ...ErrorFields } }\n  }\n": types.ApplyVoucherDocument,
    "\n  mutation RemoveVoucher($id: ID!) {\n    removeVoucher(draftOrderId: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } }\n  }\n": types.RemoveVoucherDocument,
    "\n  mutation CheckoutCart($input: CheckoutCartInput!) {\n    checkoutCart(input: $input) {\n      result {\n        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }\n        ... on DirectPayment { orderKey order { id reference status paymentStatus } }\n      }\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n": types.CheckoutCartDocument,
    "\n  mutation PayOrder($orderKey: String!, $paymentMethodId: ID!, $key: String!, $returnUrl: String) {\n    payOrder(orderKey: $orderKey, paymentMethodId: $paymentMethodId, idempotencyKey: $key, returnUrl: $returnUrl) {\n      result {\n        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }\n        ... on DirectPayment { orderKey order { id reference status paymentStatus } }\n      }\n      errors { ...ErrorFields }\n    }\n  }\n": types.PayOrderDocument,
    "\n  query OrderPaymentMethods {\n    paymentMethods { id code name kind }\n  }\n": types.OrderPaymentMethodsDocument,
    "\n  query Orders($filter: OrderFilter, $orderBy: [OrderSort!], $first: Int, $after: String) {\n    orders(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id reference status paymentStatus placedAt createdAt total { ...MoneyFields } } }\n    }\n  }\n": types.OrdersDocument,
    "\n  query OrderDetail($id: ID!) {\n    draftOrder(id: $id) { id reference status isCart }\n    order(id: $id) {\n      id\n      reference\n      status\n      paymentStatus\n      placedAt\n      source { type id }\n      subtotal { ...MoneyFields }\n      shippingTotal { ...MoneyFields }\n      discountTotal { ...MoneyFields }\n      total { ...MoneyFields }\n      amountSaved { ...MoneyFields }\n      outstandingAmount { ...MoneyFields }\n      voucher { code discount { ...MoneyFields } }\n      shippingAddress { id externalId street city }\n      shippingMethod { id name }\n      lines { id sku quantity unitPrice { ...MoneyFields } total { ...MoneyFields } variant { id name } }\n      logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }\n      payments { id status amount { ...MoneyFields } method { id code name } }\n      events { id type at actor detail }\n    }\n  }\n": types.OrderDetailDocument,
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
export function graphql(source: "\n  fragment MoneyFields on Money { amount currency }\n"): (typeof documents)["\n  fragment MoneyFields on Money { amount currency }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ErrorFields on UserError { code message field index lineId blocking }\n"): (typeof documents)["\n  fragment ErrorFields on UserError { code message field index lineId blocking }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($email: String!, $password: String!) {\n    createToken(email: $email, password: $password) { token expiresAt errors { ...ErrorFields } }\n  }\n"): (typeof documents)["\n  mutation SignIn($email: String!, $password: String!) {\n    createToken(email: $email, password: $password) { token expiresAt errors { ...ErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Session {\n    viewer {\n      clientType\n      currency\n      user { id email firstName lastName accounts { id externalId name } }\n      account { id externalId name addresses { id externalId fullName street city country isShipping isBilling isDefault } }\n      store { id externalId name currency }\n    }\n  }\n"): (typeof documents)["\n  query Session {\n    viewer {\n      clientType\n      currency\n      user { id email firstName lastName accounts { id externalId name } }\n      account { id externalId name addresses { id externalId fullName street city country isShipping isBilling isDefault } }\n      store { id externalId name currency }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Catalog($search: String, $first: Int, $after: String, $last: Int, $before: String) {\n    products(search: $search, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          description\n          variants {\n            id\n            sku\n            name\n            offers {\n              id\n              available\n              stock\n              minQuantity\n              maxQuantity\n              packSize\n              supplier { id name }\n              price { ...MoneyFields }\n              priceTiers { minQuantity unitPrice { ...MoneyFields } }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Catalog($search: String, $first: Int, $after: String, $last: Int, $before: String) {\n    products(search: $search, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          description\n          variants {\n            id\n            sku\n            name\n            offers {\n              id\n              available\n              stock\n              minQuantity\n              maxQuantity\n              packSize\n              supplier { id name }\n              price { ...MoneyFields }\n              priceTiers { minQuantity unitPrice { ...MoneyFields } }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DraftFields on DraftOrder {\n    id\n    reference\n    status\n    paymentStatus\n    version\n    isCart\n    source { type id }\n    subtotal { ...MoneyFields }\n    shippingTotal { ...MoneyFields }\n    discountTotal { ...MoneyFields }\n    taxTotal { ...MoneyFields }\n    total { ...MoneyFields }\n    amountSaved { ...MoneyFields }\n    voucher { code discount { ...MoneyFields } }\n    shippingAddress { id externalId }\n    billingAddress { id externalId }\n    shippingMethod { id code name }\n    lines {\n      id\n      sku\n      quantity\n      promotion\n      unitPrice { ...MoneyFields }\n      total { ...MoneyFields }\n      variant { id name }\n      offer { id packSize minQuantity maxQuantity supplier { id name } }\n    }\n    issues { ...ErrorFields }\n    logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }\n  }\n"): (typeof documents)["\n  fragment DraftFields on DraftOrder {\n    id\n    reference\n    status\n    paymentStatus\n    version\n    isCart\n    source { type id }\n    subtotal { ...MoneyFields }\n    shippingTotal { ...MoneyFields }\n    discountTotal { ...MoneyFields }\n    taxTotal { ...MoneyFields }\n    total { ...MoneyFields }\n    amountSaved { ...MoneyFields }\n    voucher { code discount { ...MoneyFields } }\n    shippingAddress { id externalId }\n    billingAddress { id externalId }\n    shippingMethod { id code name }\n    lines {\n      id\n      sku\n      quantity\n      promotion\n      unitPrice { ...MoneyFields }\n      total { ...MoneyFields }\n      variant { id name }\n      offer { id packSize minQuantity maxQuantity supplier { id name } }\n    }\n    issues { ...ErrorFields }\n    logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Draft($id: ID!) {\n    draftOrder(id: $id) { ...DraftFields }\n  }\n"): (typeof documents)["\n  query Draft($id: ID!) {\n    draftOrder(id: $id) { ...DraftFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Cart {\n    cart { ...DraftFields }\n    shippingMethods { id code name price { ...MoneyFields } }\n  }\n"): (typeof documents)["\n  query Cart {\n    cart { ...DraftFields }\n    shippingMethods { id code name price { ...MoneyFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CartPaymentMethods($draftOrderId: ID!) {\n    paymentMethods(draftOrderId: $draftOrderId) { id code name kind }\n  }\n"): (typeof documents)["\n  query CartPaymentMethods($draftOrderId: ID!) {\n    paymentMethods(draftOrderId: $draftOrderId) { id code name kind }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Drafts {\n    draftOrders(first: 20) {\n      totalCount\n      edges { node { id reference status isCart source { type id } total { ...MoneyFields } } }\n    }\n    quotes(first: 20) { edges { node { id externalId name status expiresAt } } }\n    operations(first: 20) { edges { node { id externalId name type status startsAt endsAt } } }\n  }\n"): (typeof documents)["\n  query Drafts {\n    draftOrders(first: 20) {\n      totalCount\n      edges { node { id reference status isCart source { type id } total { ...MoneyFields } } }\n    }\n    quotes(first: 20) { edges { node { id externalId name status expiresAt } } }\n    operations(first: 20) { edges { node { id externalId name type status startsAt endsAt } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDraft($lines: [DraftOrderLineInput!]) {\n    createDraftOrder(input: { lines: $lines }) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateDraft($lines: [DraftOrderLineInput!]) {\n    createDraftOrder(input: { lines: $lines }) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DraftFromQuote($quoteId: ID!) {\n    createDraftOrderFromQuote(quoteId: $quoteId) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation DraftFromQuote($quoteId: ID!) {\n    createDraftOrderFromQuote(quoteId: $quoteId) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DraftFromOperation($operationId: ID!) {\n    createDraftOrderFromOperation(operationId: $operationId, full: true) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation DraftFromOperation($operationId: ID!) {\n    createDraftOrderFromOperation(operationId: $operationId, full: true) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!) {\n    addDraftOrderLines(draftOrderId: $id, lines: $lines) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation AddLines($id: ID!, $lines: [DraftOrderLineInput!]!) {\n    addDraftOrderLines(draftOrderId: $id, lines: $lines) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateLines($id: ID!, $lines: [DraftOrderLineUpdateInput!]!, $version: Int) {\n    updateDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateLines($id: ID!, $lines: [DraftOrderLineUpdateInput!]!, $version: Int) {\n    updateDraftOrderLines(draftOrderId: $id, lines: $lines, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n      warnings { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveLines($id: ID!, $lineIds: [ID!]!, $version: Int) {\n    removeDraftOrderLines(draftOrderId: $id, lineIds: $lineIds, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveLines($id: ID!, $lineIds: [ID!]!, $version: Int) {\n    removeDraftOrderLines(draftOrderId: $id, lineIds: $lineIds, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncDraft($id: ID!) {\n    syncDraftOrder(id: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } warnings { ...ErrorFields } }\n  }\n"): (typeof documents)["\n  mutation SyncDraft($id: ID!) {\n    syncDraftOrder(id: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } warnings { ...ErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAddresses($id: ID!, $shipping: ID, $billing: ID, $version: Int) {\n    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation SetAddresses($id: ID!, $shipping: ID, $billing: ID, $version: Int) {\n    updateDraftOrder(id: $id, input: { shippingAddressId: $shipping, billingAddressId: $billing }, expectedVersion: $version) {\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Place($id: ID!, $key: String!, $version: Int) {\n    placeDraftOrder(id: $id, input: { idempotencyKey: $key, expectedVersion: $version }) {\n      order { id reference status paymentStatus }\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation Place($id: ID!, $key: String!, $version: Int) {\n    placeDraftOrder(id: $id, input: { idempotencyKey: $key, expectedVersion: $version }) {\n      order { id reference status paymentStatus }\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApplyVoucher($id: ID!, $code: String!) {\n    applyVoucher(draftOrderId: $id, code: $code) { draftOrder { ...DraftFields } errors { ...ErrorFields } }\n  }\n"): (typeof documents)["\n  mutation ApplyVoucher($id: ID!, $code: String!) {\n    applyVoucher(draftOrderId: $id, code: $code) { draftOrder { ...DraftFields } errors { ...ErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveVoucher($id: ID!) {\n    removeVoucher(draftOrderId: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } }\n  }\n"): (typeof documents)["\n  mutation RemoveVoucher($id: ID!) {\n    removeVoucher(draftOrderId: $id) { draftOrder { ...DraftFields } errors { ...ErrorFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckoutCart($input: CheckoutCartInput!) {\n    checkoutCart(input: $input) {\n      result {\n        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }\n        ... on DirectPayment { orderKey order { id reference status paymentStatus } }\n      }\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation CheckoutCart($input: CheckoutCartInput!) {\n    checkoutCart(input: $input) {\n      result {\n        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }\n        ... on DirectPayment { orderKey order { id reference status paymentStatus } }\n      }\n      draftOrder { ...DraftFields }\n      errors { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PayOrder($orderKey: String!, $paymentMethodId: ID!, $key: String!, $returnUrl: String) {\n    payOrder(orderKey: $orderKey, paymentMethodId: $paymentMethodId, idempotencyKey: $key, returnUrl: $returnUrl) {\n      result {\n        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }\n        ... on DirectPayment { orderKey order { id reference status paymentStatus } }\n      }\n      errors { ...ErrorFields }\n    }\n  }\n"): (typeof documents)["\n  mutation PayOrder($orderKey: String!, $paymentMethodId: ID!, $key: String!, $returnUrl: String) {\n    payOrder(orderKey: $orderKey, paymentMethodId: $paymentMethodId, idempotencyKey: $key, returnUrl: $returnUrl) {\n      result {\n        ... on RedirectPayment { nextStep orderKey order { id reference status paymentStatus } }\n        ... on DirectPayment { orderKey order { id reference status paymentStatus } }\n      }\n      errors { ...ErrorFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderPaymentMethods {\n    paymentMethods { id code name kind }\n  }\n"): (typeof documents)["\n  query OrderPaymentMethods {\n    paymentMethods { id code name kind }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Orders($filter: OrderFilter, $orderBy: [OrderSort!], $first: Int, $after: String) {\n    orders(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id reference status paymentStatus placedAt createdAt total { ...MoneyFields } } }\n    }\n  }\n"): (typeof documents)["\n  query Orders($filter: OrderFilter, $orderBy: [OrderSort!], $first: Int, $after: String) {\n    orders(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id reference status paymentStatus placedAt createdAt total { ...MoneyFields } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderDetail($id: ID!) {\n    draftOrder(id: $id) { id reference status isCart }\n    order(id: $id) {\n      id\n      reference\n      status\n      paymentStatus\n      placedAt\n      source { type id }\n      subtotal { ...MoneyFields }\n      shippingTotal { ...MoneyFields }\n      discountTotal { ...MoneyFields }\n      total { ...MoneyFields }\n      amountSaved { ...MoneyFields }\n      outstandingAmount { ...MoneyFields }\n      voucher { code discount { ...MoneyFields } }\n      shippingAddress { id externalId street city }\n      shippingMethod { id name }\n      lines { id sku quantity unitPrice { ...MoneyFields } total { ...MoneyFields } variant { id name } }\n      logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }\n      payments { id status amount { ...MoneyFields } method { id code name } }\n      events { id type at actor detail }\n    }\n  }\n"): (typeof documents)["\n  query OrderDetail($id: ID!) {\n    draftOrder(id: $id) { id reference status isCart }\n    order(id: $id) {\n      id\n      reference\n      status\n      paymentStatus\n      placedAt\n      source { type id }\n      subtotal { ...MoneyFields }\n      shippingTotal { ...MoneyFields }\n      discountTotal { ...MoneyFields }\n      total { ...MoneyFields }\n      amountSaved { ...MoneyFields }\n      outstandingAmount { ...MoneyFields }\n      voucher { code discount { ...MoneyFields } }\n      shippingAddress { id externalId street city }\n      shippingMethod { id name }\n      lines { id sku quantity unitPrice { ...MoneyFields } total { ...MoneyFields } variant { id name } }\n      logisticOrders { id reference status supplier { id name } total { ...MoneyFields } }\n      payments { id status amount { ...MoneyFields } method { id code name } }\n      events { id type at actor detail }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;