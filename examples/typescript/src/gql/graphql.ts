/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What checkoutCart needs. */
export type CheckoutCartInput = {
  /** Used for shipping and billing: must be both. */
  addressId: string | number;
  /** Same key and same input: the first result again; another input: IDEMPOTENCY_KEY_REUSED. */
  idempotencyKey?: string | null | undefined;
  /** At most 500 characters. */
  notes?: string | null | undefined;
  /** Id or code of an active payment method. */
  paymentMethodId: string | number;
  /** Where the payment page sends the buyer back (default: a gateway page). */
  returnUrl?: string | null | undefined;
  /** Id or code of an active shipping method. */
  shippingMethodId: string | number;
};

/** The kind of client calling (header dj-client). */
export type ClientType =
  /** A buyer's storefront: the account's catalog, drafts and orders. */
  | 'ACCOUNT'
  /** A back office of the store's operators: all accounts of their stores. */
  | 'OPERATOR';

/** A line to add. Name exactly one of offerId, variantId and sku: a line with none or several is an INVALID_INPUT error with its index (the other lines still apply). */
export type DraftOrderLineInput = {
  /** The offer to buy (or give variantId or sku instead). */
  offerId?: string | number | null | undefined;
  /** Units; within the offer's min, max and pack size. */
  quantity: number;
  /** The SKU to buy (or give offerId or variantId), any case, at the offer a variantId gets: the cheapest offer you can buy in stock, else the cheapest you can buy; to choose the supplier, give offerId. An unknown SKU is SKU_NOT_FOUND, one outside your catalog PRODUCT_NOT_VISIBLE. */
  sku?: string | null | undefined;
  /** The variant to buy, at its best offer for the viewer (or give offerId or sku). */
  variantId?: string | number | null | undefined;
};

/** Every business error code of the API, in payload `errors`, `warnings` and draft `issues`. Top-level errors use `extensions.code` instead (UNAUTHENTICATED, FORBIDDEN, BAD_REQUEST, TIMEOUT, INTERNAL). */
export type ErrorCode =
  /** The address id is not one of the draft's account. */
  | 'ADDRESS_NOT_FOUND'
  /** The address cannot serve this use (a billing-only address given for shipping). */
  | 'ADDRESS_TYPE_MISMATCH'
  /** approveDraftOrder / rejectDraftOrder: the caller asked for it (never approves their own), approved its first tier already, lacks the role the rule names for this tier, or the part is above the caller's approval limit. */
  | 'APPROVAL_NOT_ALLOWED'
  /** requestApproval on a draft no approval rule or budget asks an approval of: place it. */
  | 'APPROVAL_NOT_REQUIRED'
  /** A supplier part of the draft needs an approval under an approval rule of the account, or because the draft is over a REQUIRE_APPROVAL budget (the message names the rule or says 'over budget', and the part; `field` is ["parts", supplier id]): ask for it with requestApproval. */
  | 'APPROVAL_REQUIRED'
  /** Placement of a draft without a billing address. */
  | 'BILLING_ADDRESS_REQUIRED'
  /** The order's total does not fit in what a budget of the account (or of the draft's cost centre) has left this period; blocking for a BLOCK budget; for a REQUIRE_APPROVAL budget a non-blocking issue that makes the draft's parts need an approval (APPROVAL_REQUIRED). */
  | 'BUDGET_EXCEEDED'
  /** capturePayment: the amount is more than what is authorized and not yet captured or voided. */
  | 'CAPTURE_EXCEEDS_AUTHORIZED'
  /** checkoutCart on a cart without lines. */
  | 'CART_EMPTY'
  /** createOrderFromCart: the billing address country is a code or an unknown name; give the full country name (the message suggests it for a code). */
  | 'COUNTRY_NAME_NOT_FULL'
  /** The tenant has this feature turned off (for example drafts from operations). */
  | 'FEATURE_DISABLED'
  /** The caller may see it but not do this (another account's order, a buyer-only mutation). */
  | 'FORBIDDEN'
  /** The idempotency key was already used with another input. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The offer has fewer units in stock than asked (checked when the tenant checks stock, and at placement when stock is reserved). */
  | 'INSUFFICIENT_STOCK'
  /** createToken: unknown email or wrong password (the same answer for both). */
  | 'INVALID_CREDENTIALS'
  /** An input value is malformed or out of range (an amount, a date, a too-long text, a line naming not exactly one of offerId, variantId and sku, a pasted line without a SKU); `field` and `index` point at it. */
  | 'INVALID_INPUT'
  /** The quantity is zero, negative or above the largest quantity a line may hold. */
  | 'INVALID_QUANTITY'
  /** The logistic order cannot move to that status from its current one (createShipment: it is neither WAITING_SHIPMENT nor PARTIALLY_SHIPPED). */
  | 'INVALID_STATUS_TRANSITION'
  /** An account keeps at least one ADMIN: the last one cannot be removed or given another role. */
  | 'LAST_ADMIN'
  /** refundOrder, refundProposal: the line (or the shipping) belongs to a canceled or declined logistic order, whose share was settled when it ended (refunded, voided or taken off what is due); a failed refund of it is retried as an amount. */
  | 'LINE_CANCELED'
  /** The line id is not a line of this draft. */
  | 'LINE_NOT_FOUND'
  /** notes exceed 500 characters. */
  | 'NOTES_TOO_LONG'
  /** capturePayment: the order holds no authorized amount that is not captured or voided. */
  | 'NOTHING_TO_CAPTURE'
  /** The id or reference names nothing the caller may see. */
  | 'NOT_FOUND'
  /** None of the operation's lines is visible to the caller. */
  | 'NO_ELIGIBLE_LINES'
  /** None of the source's lines can be bought now, so no draft was made. */
  | 'NO_LINES_AVAILABLE'
  /** The offer cannot be bought now: inactive, no price for the viewer, or out of stock. */
  | 'OFFER_UNAVAILABLE'
  /** The operation has orders, or is active: it cannot be deleted. */
  | 'OPERATION_DELETE_BLOCKED'
  /** The operation is not active now, or not open to the caller's account. */
  | 'OPERATION_NOT_AVAILABLE'
  /** Lines and accounts of an operation change only in DRAFT or INACTIVE. */
  | 'OPERATION_NOT_EDITABLE'
  /** payOrder on an order whose payment is already made. */
  | 'ORDER_ALREADY_PAID'
  /** The order cannot be deleted: it is no longer a draft. */
  | 'ORDER_DELETE_BLOCKED'
  /** Placement of a draft without lines. */
  | 'ORDER_EMPTY'
  /** The order cannot be canceled any more (shipment started, or already canceled). */
  | 'ORDER_NOT_CANCELABLE'
  /** The draft cannot change now (DRAFT_ON_HOLD lines, or it is no longer a draft). */
  | 'ORDER_NOT_EDITABLE'
  /** payOrder on an order that is not waiting for a payment (AWAITING_PAYMENT or REFUSED). */
  | 'ORDER_NOT_PAYABLE'
  /** approveDraftOrder / rejectDraftOrder: the order (or the named part) is not waiting for an approval. */
  | 'ORDER_NOT_PENDING_APPROVAL'
  /** recordPayment: the amount is more than the order's outstanding amount; nothing was recorded. */
  | 'OVERPAYMENT'
  /** The payment method is unknown, inactive or does not support this order. */
  | 'PAYMENT_METHOD_UNAVAILABLE'
  /** cancelPayment on an order with no redirect payment in progress (never started, or already approved, refused or expired); a payment already canceled answers without error. */
  | 'PAYMENT_NOT_PENDING'
  /** The payment provider could not be reached; nothing was charged, retry later. */
  | 'PAYMENT_SERVICE_UNAVAILABLE'
  /** A warning (not blocking): the unit price differs from the one last stored (sync, placement). */
  | 'PRICE_CHANGED'
  /** The offer or variant is not visible to the caller (catalog visibility). */
  | 'PRODUCT_NOT_VISIBLE'
  /** The buyer's profile misses what checkout needs (name, email). */
  | 'PROFILE_INCOMPLETE'
  /** At placement: a promotion's budget (maxDiscountTotal) ran out since the draft was priced. */
  | 'PROMOTION_EXHAUSTED'
  /** The quantity is above the offer's (or operation line's) maximum quantity. */
  | 'QUANTITY_ABOVE_MAX'
  /** The quantity is below the offer's (or operation line's) minimum quantity. */
  | 'QUANTITY_BELOW_MIN'
  /** The quantity is not a multiple of the offer's pack size. */
  | 'QUANTITY_NOT_PACK_MULTIPLE'
  /** The quote's status does not allow this edit any more. */
  | 'QUOTE_NOT_EDITABLE'
  /** The quote cannot become a draft (not validated by the customer, expired, or foreign). */
  | 'QUOTE_NOT_ELIGIBLE'
  /** Too many attempts: retry after the seconds in the Retry-After header. */
  | 'RATE_LIMITED'
  /** refundOrder, refundProposal: with lines or shipping, `amount` (optional) must equal what they are worth (the proposal's total); it differs, for example after another refund moved which units come next. */
  | 'REFUND_AMOUNT_MISMATCH'
  /** refundOrder, refundProposal: the refund is worth more than what can still be refunded (captured, less succeeded and pending refunds); nothing was written. */
  | 'REFUND_EXCEEDS_CAPTURED'
  /** refundOrder, refundProposal: more units of a line than were bought and not yet refunded (succeeded or pending refunds count), or the shipping a second time; nothing was written. */
  | 'REFUND_EXCEEDS_ORDERED'
  /** createReturn: a line's units returned already plus those asked exceed what was shipped of it; the message gives the figures, `index` and `lineId` the line. */
  | 'RETURN_EXCEEDS_SHIPPED'
  /** createShipment: a line's units shipped already plus those asked exceed what was ordered of it; the message gives the figures, `index` and `lineId` the line. */
  | 'SHIPMENT_EXCEEDS_ORDERED'
  /** Placement of a draft without a shipping address. */
  | 'SHIPPING_ADDRESS_REQUIRED'
  /** The shipping method is unknown, inactive, or cannot carry the draft's content. */
  | 'SHIPPING_METHOD_UNAVAILABLE'
  /** No product of the catalog has this SKU (also tried in upper case): a line or item naming a SKU, or a pasted line. */
  | 'SKU_NOT_FOUND'
  /** expectedVersion is not the draft's current version: someone edited it since; re-read it. */
  | 'VERSION_CONFLICT'
  /** applyVoucher on an order that has a voucher: one voucher per order. */
  | 'VOUCHER_ALREADY_APPLIED'
  /** The voucher (or its promotion) is outside its validity window. */
  | 'VOUCHER_EXPIRED'
  /** applyVoucher: no such code, an inactive voucher, or one not for this customer group. */
  | 'VOUCHER_INVALID'
  /** The order's subtotal is under the voucher promotion's minimum order total. */
  | 'VOUCHER_MIN_PURCHASE'
  /** No line of the order is eligible for the voucher's promotion. */
  | 'VOUCHER_NOT_APPLICABLE'
  /** The voucher has no use left: in all (SINGLE, MULTIPLE up to maxUses), for this customer (ONCE_PER_CUSTOMER), or its promotion's budget is spent; at placement, used up by others since applied. */
  | 'VOUCHER_USAGE_LIMIT';

/** The progress of a logistic order; it only moves forward. */
export type LogisticOrderStatus =
  /** The supplier accepted it. */
  | 'ACCEPTED_BY_SUPPLIER'
  /** Canceled (final). */
  | 'CANCELED'
  /** Delivered and closed (final). */
  | 'COMPLETED'
  /** The supplier declined it (final). */
  | 'DECLINED_BY_SUPPLIER'
  /** Created at placement. */
  | 'ORDER_CREATED'
  /** Some lines shipped. */
  | 'PARTIALLY_SHIPPED'
  /** Everything shipped. */
  | 'SHIPPED'
  /** Ready, waiting to be shipped. */
  | 'WAITING_SHIPMENT'
  /** Sent to the supplier, waiting for its answer. */
  | 'WAITING_SUPPLIER_APPROVAL';

/** The kind of source of an order. */
export type OrderSourceType =
  /** Made from an operation (createDraftOrderFromOperation). */
  | 'OPERATION'
  /** A reorder of an earlier order (createDraftOrderFromOrder). */
  | 'ORDER'
  /** Made from a quote (createDraftOrderFromQuote). */
  | 'QUOTE'
  /** Made from a requisition list (createDraftOrderFromRequisitionList). */
  | 'REQUISITION_LIST';

/** Where a commercial order stands. DRAFT and DRAFT_ON_HOLD answer as DraftOrder, the others as Order. */
export type OrderStatus =
  /** Canceled by an operator; stock went back. */
  | 'CANCELED'
  /** An editable draft. */
  | 'DRAFT'
  /** A draft from a quote: prices agreed, lines locked; details still editable. */
  | 'DRAFT_ON_HOLD'
  /** Checked out with a redirect payment: waiting for the provider (back to DRAFT if refused). */
  | 'PAYMENT_PENDING'
  /** A draft whose supplier parts wait for an approval (requestApproval): lines locked, priced, no stock held; approval places the approved parts, a rejection gives the draft back. */
  | 'PENDING_APPROVAL'
  /** Placed: prices frozen, split into logistic orders. */
  | 'PLACED';

/** Where the payment of an order (or logistic order) stands. */
export type PaymentStatus =
  /** A payment is started and not yet answered. */
  | 'AUTHORIZATION_PENDING'
  /** The amount is held on the buyer's means of payment and not yet captured. */
  | 'AUTHORIZED'
  /** Placed, to be paid (direct methods, or pay it with payOrder). */
  | 'AWAITING_PAYMENT'
  /** No payment asked (yet). */
  | 'NOT_REQUIRED'
  /** What the order costs was captured or received in full. */
  | 'PAID'
  /** Part of what the order costs was captured or received; the rest is outstanding. */
  | 'PARTIALLY_PAID'
  /** Paid, then part of the captured amount was refunded. */
  | 'PARTIALLY_REFUNDED'
  /** Everything captured was refunded. */
  | 'REFUNDED'
  /** The last payment was refused; pay again with payOrder. */
  | 'REFUSED'
  /** The authorization was released without capture; nothing was taken. */
  | 'VOIDED';

/** Where a quote stands. */
export type QuoteStatus =
  /** Declined by the buyer (final). */
  | 'DECLINED_BY_CUSTOMER'
  /** Declined by the operator (final). */
  | 'DECLINED_BY_SUPPLIER'
  /** Past expiresAt (final). */
  | 'EXPIRED'
  /** Created, not sent yet. */
  | 'NEW'
  /** Accepted: a draft was made of it. */
  | 'VALIDATED'
  /** Sent to the buyer, who may make a draft of it. */
  | 'WAITING_FOR_CUSTOMER'
  /** Waiting for the supplier's answer. */
  | 'WAITING_FOR_SUPPLIER_INFORMATION';

export type SignInMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type SignInMutation = { createToken: { token: string | null, expiresAt: string | null, errors: Array<{ code: ErrorCode, message: string }> } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { viewer: { clientType: ClientType, account: { name: string, addresses: Array<{ id: string, externalId: string | null, isShipping: boolean, isBilling: boolean }> } | null } };

export type CatalogQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type CatalogQuery = { products: { totalCount: number, edges: Array<{ node: { name: string, variants: Array<{ sku: string, offers: Array<{ id: string, available: boolean, minQuantity: number, packSize: number, price: { amount: string, currency: string } }> }> } }> } };

export type CreateDraftMutationVariables = Exact<{ [key: string]: never; }>;


export type CreateDraftMutation = { createDraftOrder: { draftOrder: { id: string, version: number, status: OrderStatus, issues: Array<{ code: ErrorCode, message: string, blocking: boolean, lineId: string | null }>, total: { amount: string, currency: string } } | null, errors: Array<{ code: ErrorCode, message: string, field: Array<string> | null, index: number | null }> } };

export type AddLinesMutationVariables = Exact<{
  id: string | number;
  lines: Array<DraftOrderLineInput> | DraftOrderLineInput;
  version?: number | null | undefined;
}>;


export type AddLinesMutation = { addDraftOrderLines: { draftOrder: { id: string, version: number, lines: Array<{ id: string, sku: string | null, quantity: number, unitPrice: { amount: string } }>, issues: Array<{ code: ErrorCode, message: string, blocking: boolean }>, total: { amount: string, currency: string } } | null, errors: Array<{ code: ErrorCode, message: string, field: Array<string> | null, index: number | null }>, warnings: Array<{ code: ErrorCode, message: string }> } };

export type SetAddressesMutationVariables = Exact<{
  id: string | number;
  shipping: string | number;
  billing: string | number;
  version?: number | null | undefined;
}>;


export type SetAddressesMutation = { updateDraftOrder: { draftOrder: { id: string, version: number, issues: Array<{ code: ErrorCode, message: string, blocking: boolean }>, shippingAddress: { externalId: string | null } | null, billingAddress: { externalId: string | null } | null } | null, errors: Array<{ code: ErrorCode, message: string, field: Array<string> | null }> } };

export type PlaceMutationVariables = Exact<{
  id: string | number;
  key?: string | null | undefined;
}>;


export type PlaceMutation = { placeDraftOrder: { nextStep: string | null, order:
      | { id: string, reference: string, status: OrderStatus, placedAt: string | null, total: { amount: string, currency: string }, logisticOrders: Array<{ reference: string, status: LogisticOrderStatus, supplier: { name: string } }> }
      | { id: string, reference: string, status: OrderStatus, placedAt: string | null, total: { amount: string, currency: string }, logisticOrders: Array<{ reference: string, status: LogisticOrderStatus, supplier: { name: string } }> }
     | null, errors: Array<{ code: ErrorCode, message: string }> } };

export type MyOrdersQueryVariables = Exact<{ [key: string]: never; }>;


export type MyOrdersQuery = { orders: { totalCount: number, edges: Array<{ node:
        | { id: string, reference: string, status: OrderStatus, placedAt: string | null, total: { amount: string, currency: string } }
        | { id: string, reference: string, status: OrderStatus, placedAt: string | null, total: { amount: string, currency: string } }
       }> } };

export type MyQuotesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyQuotesQuery = { quotes: { edges: Array<{ node: { id: string, externalId: string | null, status: QuoteStatus, expiresAt: string | null } }> } };

export type DraftFromQuoteMutationVariables = Exact<{
  quoteId: string | number;
}>;


export type DraftFromQuoteMutation = { createDraftOrderFromQuote: { draftOrder: { id: string, status: OrderStatus, source: { type: OrderSourceType, id: string } | null, lines: Array<{ sku: string | null, quantity: number, unitPrice: { amount: string } }>, total: { amount: string, currency: string } } | null, errors: Array<{ code: ErrorCode, message: string }>, warnings: Array<{ code: ErrorCode, message: string }> } };

export type MyCartQueryVariables = Exact<{ [key: string]: never; }>;


export type MyCartQuery = { cart: { id: string, version: number } };

export type CheckoutCartMutationVariables = Exact<{
  input: CheckoutCartInput;
}>;


export type CheckoutCartMutation = { checkoutCart: { result:
      | { __typename: 'ClientSecretPayment' }
      | { __typename: 'DirectPayment', orderKey: string }
      | { __typename: 'RedirectPayment', nextStep: string, orderKey: string, order:
          | { id: string, status: OrderStatus, paymentStatus: PaymentStatus }
          | { id: string, status: OrderStatus, paymentStatus: PaymentStatus }
         }
     | null, errors: Array<{ code: ErrorCode, message: string }> } };

export type OrderPaymentQueryVariables = Exact<{
  id: string | number;
}>;


export type OrderPaymentQuery = { order: { status: OrderStatus, paymentStatus: PaymentStatus } | null };


export const SignInDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"password"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"password"},"value":{"kind":"Variable","name":{"kind":"Name","value":"password"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SignInMutation, SignInMutationVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientType"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"addresses"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"isShipping"}},{"kind":"Field","name":{"kind":"Name","value":"isBilling"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const CatalogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Catalog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"products"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"variants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"offers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"minQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"packSize"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<CatalogQuery, CatalogQueryVariables>;
export const CreateDraftDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateDraft"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createDraftOrder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"draftOrder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"blocking"}},{"kind":"Field","name":{"kind":"Name","value":"lineId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"index"}}]}}]}}]}}]} as unknown as DocumentNode<CreateDraftMutation, CreateDraftMutationVariables>;
export const AddLinesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddLines"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"lines"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DraftOrderLineInput"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addDraftOrderLines"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"draftOrderId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"lines"},"value":{"kind":"Variable","name":{"kind":"Name","value":"lines"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"draftOrder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"blocking"}}]}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"index"}}]}},{"kind":"Field","name":{"kind":"Name","value":"warnings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AddLinesMutation, AddLinesMutationVariables>;
export const SetAddressesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetAddresses"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shipping"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"billing"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateDraftOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"shippingAddressId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shipping"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"billingAddressId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"billing"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"draftOrder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"blocking"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shippingAddress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"billingAddress"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}}]} as unknown as DocumentNode<SetAddressesMutation, SetAddressesMutationVariables>;
export const PlaceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Place"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"placeDraftOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"order"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"placedAt"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"logisticOrders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"supplier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nextStep"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<PlaceMutation, PlaceMutationVariables>;
export const MyOrdersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyOrders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"placedAt"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyOrdersQuery, MyOrdersQueryVariables>;
export const MyQuotesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyQuotes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quotes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyQuotesQuery, MyQuotesQueryVariables>;
export const DraftFromQuoteDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DraftFromQuote"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"quoteId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createDraftOrderFromQuote"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"quoteId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"quoteId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"draftOrder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"source"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"warnings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DraftFromQuoteMutation, DraftFromQuoteMutationVariables>;
export const MyCartDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyCart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<MyCartQuery, MyCartQueryVariables>;
export const CheckoutCartDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CheckoutCart"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CheckoutCartInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkoutCart"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"result"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RedirectPayment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nextStep"}},{"kind":"Field","name":{"kind":"Name","value":"orderKey"}},{"kind":"Field","name":{"kind":"Name","value":"order"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"paymentStatus"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DirectPayment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orderKey"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CheckoutCartMutation, CheckoutCartMutationVariables>;
export const OrderPaymentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrderPayment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"order"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"paymentStatus"}}]}}]}}]} as unknown as DocumentNode<OrderPaymentQuery, OrderPaymentQueryVariables>;