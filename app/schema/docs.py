"""Descriptions of the schema by schema coordinate (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`).

Types declared with strawberry keep the descriptions written next to them; this module fills in the rest after
the schema is built (on the GraphQL types strawberry's converter made, reached through its public `type_map`),
so every type, field, argument, input field and enum value is documented (a test checks
100 % from introspection). Lookup order for a field or argument without one: its coordinate here, the same field
of an interface it implements, then `BY_NAME` (a name means the same thing everywhere: `id`, `errors`, `first`).
A coordinate here that the schema lacks fails the build, so an entry cannot go stale silently.
`ERROR_CODES` documents `ErrorCode` (app/services/common/errors.py stays the single source of the codes).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
)

ERROR_CODES: dict[str, str] = {
    "INVALID_INPUT": "An input value is malformed or out of range (an amount, a date, a too-long text, a line naming "
    "not exactly one of offerId, variantId and sku, a pasted line without a SKU); `field` and `index` point at it.",
    "NOT_FOUND": "The id or reference names nothing the caller may see.",
    "FORBIDDEN": "The caller may see it but not do this (another account's order, a buyer-only mutation).",
    "INVALID_CREDENTIALS": "createToken: unknown email or wrong password (the same answer for both).",
    "FEATURE_DISABLED": "The tenant has this feature turned off (for example drafts from operations).",
    "RATE_LIMITED": "Too many attempts: retry after the seconds in the Retry-After header.",
    "VERSION_CONFLICT": "expectedVersion is not the draft's current version: someone edited it since; re-read it.",
    "ORDER_NOT_EDITABLE": "The draft cannot change now (DRAFT_ON_HOLD lines, or it is no longer a draft).",
    "ORDER_DELETE_BLOCKED": "The order cannot be deleted: it is no longer a draft.",
    "ADDRESS_NOT_FOUND": "The address id is not one of the draft's account.",
    "ADDRESS_TYPE_MISMATCH": "The address cannot serve this use (a billing-only address given for shipping).",
    "LINE_NOT_FOUND": "The line id is not a line of this draft.",
    "SKU_NOT_FOUND": "No product of the catalog has this SKU (also tried in upper case): a line or item naming a "
    "SKU, or a pasted line.",
    "PRODUCT_NOT_VISIBLE": "The offer or variant is not visible to the caller (catalog visibility).",
    "OFFER_UNAVAILABLE": "The offer cannot be bought now: inactive, no price for the viewer, or out of stock.",
    "QUANTITY_BELOW_MIN": "The quantity is below the offer's (or operation line's) minimum quantity.",
    "QUANTITY_ABOVE_MAX": "The quantity is above the offer's (or operation line's) maximum quantity.",
    "QUANTITY_NOT_PACK_MULTIPLE": "The quantity is not a multiple of the offer's pack size.",
    "INVALID_QUANTITY": "The quantity is zero, negative or above the largest quantity a line may hold.",
    "INSUFFICIENT_STOCK": "The offer has fewer units in stock than asked (checked when the tenant checks stock, and "
    "at placement when stock is reserved).",
    "PRICE_CHANGED": "A warning (not blocking): the unit price differs from the one last stored (sync, placement).",
    "ORDER_EMPTY": "Placement of a draft without lines.",
    "SHIPPING_ADDRESS_REQUIRED": "Placement of a draft without a shipping address.",
    "BILLING_ADDRESS_REQUIRED": "Placement of a draft without a billing address.",
    "PAYMENT_METHOD_UNAVAILABLE": "The payment method is unknown, inactive or does not support this order.",
    "IDEMPOTENCY_KEY_REUSED": "The idempotency key was already used with another input.",
    "INVALID_STATUS_TRANSITION": "The logistic order cannot move to that status from its current one "
    "(createShipment: it is neither WAITING_SHIPMENT nor PARTIALLY_SHIPPED).",
    "ORDER_NOT_CANCELABLE": "The order cannot be canceled any more (shipment started, or already canceled).",
    "SHIPMENT_EXCEEDS_ORDERED": "createShipment: a line's units shipped already plus those asked exceed what was "
    "ordered of it; the message gives the figures, `index` and `lineId` the line.",
    "RETURN_EXCEEDS_SHIPPED": "createReturn: a line's units returned already plus those asked exceed what was shipped "
    "of it; the message gives the figures, `index` and `lineId` the line.",
    "QUOTE_NOT_ELIGIBLE": "The quote cannot become a draft (not validated by the customer, expired, or foreign).",
    "NO_LINES_AVAILABLE": "None of the source's lines can be bought now, so no draft was made.",
    "OPERATION_NOT_AVAILABLE": "The operation is not active now, or not open to the caller's account.",
    "NO_ELIGIBLE_LINES": "None of the operation's lines is visible to the caller.",
    "QUOTE_NOT_EDITABLE": "The quote's status does not allow this edit any more.",
    "OPERATION_NOT_EDITABLE": "Lines and accounts of an operation change only in DRAFT or INACTIVE.",
    "OPERATION_DELETE_BLOCKED": "The operation has orders, or is active: it cannot be deleted.",
    "CART_EMPTY": "checkoutCart on a cart without lines.",
    "PROFILE_INCOMPLETE": "The buyer's profile misses what checkout needs (name, email).",
    "SHIPPING_METHOD_UNAVAILABLE": "The shipping method is unknown, inactive, or cannot carry the draft's content.",
    "NOTES_TOO_LONG": "notes exceed 500 characters.",
    "PAYMENT_SERVICE_UNAVAILABLE": "The payment provider could not be reached; nothing was charged, retry later.",
    "ORDER_ALREADY_PAID": "payOrder on an order whose payment is already made.",
    "ORDER_NOT_PAYABLE": "payOrder on an order that is not waiting for a payment (AWAITING_PAYMENT or REFUSED).",
    "PAYMENT_NOT_PENDING": "cancelPayment on an order with no redirect payment in progress (never started, or "
    "already approved, refused or expired); a payment already canceled answers without error.",
    "OVERPAYMENT": "recordPayment: the amount is more than the order's outstanding amount; nothing was recorded.",
    "NOTHING_TO_CAPTURE": "capturePayment: the order holds no authorized amount that is not captured or voided.",
    "CAPTURE_EXCEEDS_AUTHORIZED": "capturePayment: the amount is more than what is authorized and not yet "
    "captured or voided.",
    "REFUND_EXCEEDS_CAPTURED": "refundOrder, refundProposal: the refund is worth more than what can still be "
    "refunded (captured, less succeeded and pending refunds); nothing was written.",
    "REFUND_EXCEEDS_ORDERED": "refundOrder, refundProposal: more units of a line than were bought and not yet "
    "refunded (succeeded or pending refunds count), or the shipping a second time; nothing was written.",
    "REFUND_AMOUNT_MISMATCH": "refundOrder, refundProposal: with lines or shipping, `amount` (optional) must equal "
    "what they are worth (the proposal's total); it differs, for example after another refund moved which units "
    "come next.",
    "LINE_CANCELED": "refundOrder, refundProposal: the line (or the shipping) belongs to a canceled or declined "
    "logistic order, whose share was settled when it ended (refunded, voided or taken off what is due); a failed "
    "refund of it is retried as an amount.",
    "VOUCHER_INVALID": "applyVoucher: no such code, an inactive voucher, or one not for this customer group.",
    "VOUCHER_EXPIRED": "The voucher (or its promotion) is outside its validity window.",
    "VOUCHER_USAGE_LIMIT": "The voucher has no use left: in all (SINGLE, MULTIPLE up to maxUses), for this customer "
    "(ONCE_PER_CUSTOMER), or its promotion's budget is spent; at placement, used up by others since applied.",
    "VOUCHER_MIN_PURCHASE": "The order's subtotal is under the voucher promotion's minimum order total.",
    "VOUCHER_NOT_APPLICABLE": "No line of the order is eligible for the voucher's promotion.",
    "VOUCHER_ALREADY_APPLIED": "applyVoucher on an order that has a voucher: one voucher per order.",
    "PROMOTION_EXHAUSTED": "At placement: a promotion's budget (maxDiscountTotal) ran out since the draft was priced.",
    "APPROVAL_REQUIRED": "A supplier part of the draft needs an approval under an approval rule of the account, or "
    "because the draft is over a REQUIRE_APPROVAL budget (the message names the rule or says 'over budget', and the "
    'part; `field` is ["parts", supplier id]): ask for it with requestApproval.',
    "APPROVAL_NOT_REQUIRED": "requestApproval on a draft no approval rule or budget asks an approval of: place it.",
    "APPROVAL_NOT_ALLOWED": "approveDraftOrder / rejectDraftOrder: the caller asked for it (never approves their "
    "own), approved its first tier already, lacks the role the rule names for this tier, or the part is above the "
    "caller's approval limit.",
    "ORDER_NOT_PENDING_APPROVAL": "approveDraftOrder / rejectDraftOrder: the order (or the named part) is not waiting "
    "for an approval.",
    "BUDGET_EXCEEDED": "The order's total does not fit in what a budget of the account (or of the draft's cost "
    "centre) has left this period; blocking for a BLOCK budget; for a REQUIRE_APPROVAL budget a non-blocking issue "
    "that makes the draft's parts need an approval (APPROVAL_REQUIRED).",
    "LAST_ADMIN": "An account keeps at least one ADMIN: the last one cannot be removed or given another role.",
    "COUNTRY_NAME_NOT_FULL": "createOrderFromCart: the billing address country is a code or an unknown name; give the "
    "full country name (the message suggests it for a code).",
}

_CONNECTION = "A page of {0}: edges, paging and the total count."
# What an argument naming a thing accepts: the same forms wherever that kind of thing is named.
_ORDER_KEY = "The order's id or its reference (any case, e.g. ord-261204-69ddt3)."
_DRAFT_KEY = "The draft's id or its reference (any case)."
_LOGISTIC_KEY = "The logistic order's id or its reference (any case, e.g. ORD-261204-69DDT3-1)."
_QUOTE_KEY = "The quote's id or its externalId."
_OPERATION_KEY = "The operation's id or its externalId."
_REQUISITION_LIST_KEY = "The requisition list's id."
_EDGE = "One {0} of a page, with its cursor."

DESCRIPTIONS: dict[str, str] = {
    # roots
    "Query": "Reads. Every field answers only what the caller may see.",
    "Mutation": "Writes. Each is one unit of work: business outcomes come in the payload's `errors`.",
    "Query.logisticOrder": "A logistic order the caller may see, else null.",
    "Query.quotes": "The quotes of the caller's account (operators: of their stores), newest first.",
    "Query.operations": "The operations the caller may use now (operators: all of theirs).",
    "Query.node(id:)": "An id any field answered (an object's `id`).",
    "Query.nodes(ids:)": "Ids any field answered, at most 100; each is answered at its position.",
    "Query.order(id:)": "The order's id or reference (any case). A draft answers null: read it with draftOrder.",
    "Query.draftOrder(id:)": _DRAFT_KEY,
    "Query.logisticOrder(id:)": _LOGISTIC_KEY,
    "Query.quote(id:)": _QUOTE_KEY,
    "Query.operation(id:)": _OPERATION_KEY,
    "Mutation.updateDraftOrder(id:)": _DRAFT_KEY,
    "Mutation.syncDraftOrder(id:)": _DRAFT_KEY,
    "Mutation.deleteDraftOrder(id:)": _DRAFT_KEY,
    "Mutation.placeDraftOrder(id:)": _DRAFT_KEY,
    "Mutation.transitionLogisticOrder(id:)": _LOGISTIC_KEY,
    "Mutation.setLogisticOrderIncident(id:)": _LOGISTIC_KEY,
    "Mutation.cancelOrder(id:)": _ORDER_KEY,
    "Mutation.updateOperation(id:)": _OPERATION_KEY,
    "Mutation.setOperationStatus(id:)": _OPERATION_KEY,
    "Mutation.deleteOperation(id:)": _OPERATION_KEY,
    "Query.orders(filter:)": "Which orders; all the caller may see when left out.",
    "Query.orders(sort:)": "Entries `field:asc|desc` (createdAt, placedAt, updatedAt, reference, sourceType, "
    "totalAmount), applied in order; malformed entries are ignored.",
    "Query.orders(orderBy:)": "Sort keys, applied in order (default createdAt DESC); not with sort.",
    "OrderSortField.CREATED_AT": "When it was created.",
    "OrderSortField.PLACED_AT": "When it was placed (drafts last).",
    "OrderSortField.UPDATED_AT": "When it last changed.",
    "OrderSortField.REFERENCE": "The reference, case-insensitive.",
    "OrderSortField.SOURCE_TYPE": "QUOTE, OPERATION, then orders without a source.",
    "OrderSortField.TOTAL_AMOUNT": "The stored total.",
    "SortDirection.ASC": "Smallest, oldest or first in the alphabet first.",
    "SortDirection.DESC": "Largest, newest or last in the alphabet first.",
    "Query.products(search:)": "A part of the product's name or a variant's SKU.",
    "Query.paymentMethods(draftOrderId:)": "Only the methods that support this draft.",
    "Query.shippingMethods(draftOrderId:)": "Only the methods that carry this draft's content.",
    "Query.webhookDeliveries(subscriptionId:)": "The subscription.",
    "Query.webhookDeliveries(status:)": "Only deliveries in this status.",
    "Mutation.createDraftOrder": "A new draft for the buyer's account, with optional lines and details. Idempotent "
    "with idempotencyKey.",
    "Mutation.removeDraftOrderLines": "Remove lines by id.",
    "Mutation.deleteDraftOrder": "Delete a draft (only drafts can be deleted).",
    "Mutation.createQuote": "Operators: a quote for an account, with agreed prices.",
    "Mutation.updateQuoteLines": "Operators: replace the lines of a quote.",
    "Mutation.declineQuote": "Decline a quote (DECLINED_BY_CUSTOMER for a buyer, DECLINED_BY_SUPPLIER for "
    "an operator).",
    "Mutation.createOperation": "Operators: a sales operation (DRAFT until activated).",
    "Mutation.setOperationStatus": "Operators: activate or deactivate an operation.",
    "Mutation.deleteOperation": "Operators: delete an operation without orders.",
    "Mutation.updateWebhookSubscription": "Operators: change a webhook; fields left out are unchanged.",
    "Mutation.deleteWebhookSubscription": "Operators: delete a webhook and its pending deliveries.",
    "Mutation.createToken(email:)": "The user's email.",
    "Mutation.createToken(password:)": "The user's password.",
    "Mutation.revokeToken(token:)": "The token to revoke; the one of this request when left out.",
    "Mutation.createDraftOrderFromOperation(full:)": "true: every visible line at its recommended quantity; false: "
    "an empty draft linked to the operation.",
    "Mutation.payOrder(orderKey:)": "The order's reference (orderKey of the checkout result, any case) or its id.",
    "Mutation.payOrder(returnUrl:)": "Where the payment page sends the buyer back (default: a gateway page).",
    "Mutation.transitionLogisticOrder(to:)": "The next status; one of its nextStatuses.",
    "Mutation.setLogisticOrderIncident(incident:)": "true raises the INCIDENT flag, false clears it.",
    "Mutation.setLogisticOrderIncident(note:)": "Why, recorded in the order's events.",
    "Mutation.cancelOrder(reason:)": "Why, shown as cancelReason.",
    "Mutation.updateQuoteLines(lines:)": "The quote's new lines (they replace the old ones).",
    "Mutation.setOperationStatus(status:)": "The new status.",
    "Mutation.removeDraftOrderLines(lineIds:)": "Ids of the lines to remove.",
    "Mutation.addDraftOrderLines(lines:)": "The lines to add; each valid one applies, each invalid one is an error "
    "with its index.",
    "Mutation.updateDraftOrderLines(lines:)": "New quantities by line id; 0 removes the line.",
    # reorder, requisition lists, quick order (docs/b2b.md)
    "Mutation.createDraftOrderFromOrder(orderId:)": "The order to reorder: its id or reference (any case); one of "
    "the account's orders past the draft stage.",
    "Mutation.createDraftOrderFromRequisitionList(requisitionListId:)": _REQUISITION_LIST_KEY,
    "Mutation.addDraftOrderLinesFromText(text:)": "The pasted lines, `SKU;quantity` each (at most 200 lines to add, "
    "100,000 characters).",
    "Mutation.renameRequisitionList(id:)": _REQUISITION_LIST_KEY,
    "Mutation.renameRequisitionList(name:)": "The new name, 1 to 200 characters.",
    "Mutation.shareRequisitionList(id:)": _REQUISITION_LIST_KEY,
    "Mutation.shareRequisitionList(shared:)": "true: every user of the account sees it; false: only you again.",
    "Mutation.deleteRequisitionList(id:)": _REQUISITION_LIST_KEY,
    "Mutation.addRequisitionListItems(id:)": _REQUISITION_LIST_KEY,
    "Mutation.addRequisitionListItems(items:)": "Items to add, at most 200; a SKU the list holds adds to its quantity.",
    "Mutation.updateRequisitionListItems(id:)": _REQUISITION_LIST_KEY,
    "Mutation.updateRequisitionListItems(items:)": "New quantities by SKU, at most 200; 0 removes the item.",
    "Mutation.removeRequisitionListItems(id:)": _REQUISITION_LIST_KEY,
    "Mutation.removeRequisitionListItems(skus:)": "SKUs of the items to remove, at most 200.",
    "Query.requisitionList(id:)": _REQUISITION_LIST_KEY,
    # viewer
    "Viewer": "Who is calling, through which store and store view.",
    "ClientType": "The kind of client calling (header dj-client).",
    "ClientType.ACCOUNT": "A buyer's storefront: the account's catalog, drafts and orders.",
    "ClientType.OPERATOR": "A back office of the store's operators: all accounts of their stores.",
    "CustomerUser": "A signed-in user.",
    "Account": "A buying company or person; orders belong to it.",
    "Address": "An address of an account, usable for shipping, billing or both.",
    "Store": "A shop of the tenant: its catalog, currency and operators.",
    "StoreView": "A localized view of a store (header dj-store-view).",
    "Viewer.clientType": "The client type of this request.",
    "Viewer.user": "The signed-in user, else null.",
    "Viewer.account": "The buyer's account, else null (operators, anonymous).",
    "Viewer.store": "The store of this request.",
    "Viewer.storeView": "The store view of this request, if any.",
    "Viewer.currency": "The currency prices are shown in.",
    "CustomerUser.email": "Sign-in email.",
    "CustomerUser.firstName": "First name, if known.",
    "CustomerUser.lastName": "Last name, if known.",
    "CustomerUser.profileCompleted": "Whether the profile has what checkout needs.",
    "CustomerUser.isOperator": "Whether the user may act as an OPERATOR client.",
    "Account.addresses": "Its addresses.",
    "Address.fullName": "The recipient.",
    "Address.street": "Street and number.",
    "Address.city": "City.",
    "Address.postalCode": "Postal code.",
    "Address.state": "State or region.",
    "Address.country": "Country (ISO 3166-1 alpha-2).",
    "Address.phone": "Phone number.",
    "Address.isShipping": "Usable as a shipping address.",
    "Address.isBilling": "Usable as a billing address.",
    "StoreView.locale": "Its locale (BCP 47).",
    # catalog
    "Product": "A product of the catalog, with its variants.",
    "Variant": "A sellable variant of a product (a SKU), with its offers.",
    "Offer": "A supplier's offer of a variant, with the price the viewer pays.",
    "Supplier": "A company that sells and ships offers; placement splits orders per supplier.",
    "PriceTier": "A degressive price: from minQuantity units on, unitPrice applies.",
    "ProductConnection": _CONNECTION.format("products"),
    "ProductEdge": _EDGE.format("product"),
    "ProductConnection.nodes": "The products of this page, without edges.",
    "Product.description": "Its description, if any.",
    "Product.variants": "Its variants.",
    "Variant.sku": "Stock keeping unit, unique in the catalog.",
    "Offer.stock": "Units in stock, when the supplier reports stock.",
    "Offer.supplier": "Who sells it.",
    "Offer.minQuantity": "The least quantity a line may hold.",
    "Offer.maxQuantity": "The most quantity a line may hold, if limited.",
    "PriceTier.minQuantity": "From this quantity on.",
    "PriceTier.unitPrice": "The net unit price.",
    "Money.amount": 'The amount, a Decimal with two decimals ("12.50").',
    "Money.currency": "ISO 4217 currency code.",
    "PageInfo": "Where a page stands (cursor paging).",
    "PageInfo.hasNextPage": "Whether more items follow (pass endCursor as after).",
    "PageInfo.hasPreviousPage": "Whether this page was asked with after.",
    "PageInfo.startCursor": "The cursor of the first item.",
    "PageInfo.endCursor": "The cursor of the last item: pass it as after for the next page.",
    "UserError.code": "What happened.",
    "UserError.message": "A readable explanation (English), not meant to be parsed.",
    "UserError.field": "The path of the input field concerned, if any.",
    "UserError.index": "The index of the input list item concerned (a line), if any.",
    "UserError.lineId": "The draft line concerned, if any.",
    "Metadata": "A key-value pair a client stores on an order.",
    "MetadataInput": "A key-value pair to store; an empty value removes the key.",
    # orders
    "OrderStatus": "Where a commercial order stands. DRAFT and DRAFT_ON_HOLD answer as DraftOrder, the others as "
    "Order.",
    "OrderStatus.DRAFT": "An editable draft.",
    "OrderStatus.DRAFT_ON_HOLD": "A draft from a quote: prices agreed, lines locked; details still editable.",
    "OrderStatus.PAYMENT_PENDING": "Checked out with a redirect payment: waiting for the provider (back to DRAFT if "
    "refused).",
    "OrderStatus.PENDING_APPROVAL": "A draft whose supplier parts wait for an approval (requestApproval): lines "
    "locked, priced, no stock held; approval places the approved parts, a rejection gives the draft back.",
    "OrderStatus.PLACED": "Placed: prices frozen, split into logistic orders.",
    "OrderStatus.CANCELED": "Canceled by an operator; stock went back.",
    "PaymentStatus": "Where the payment of an order (or logistic order) stands.",
    "PaymentStatus.NOT_REQUIRED": "No payment asked (yet).",
    "PaymentStatus.AWAITING_PAYMENT": "Placed, to be paid (direct methods, or pay it with payOrder).",
    "PaymentStatus.AUTHORIZATION_PENDING": "A payment is started and not yet answered.",
    "PaymentStatus.AUTHORIZED": "The amount is held on the buyer's means of payment and not yet captured.",
    "PaymentStatus.PARTIALLY_PAID": "Part of what the order costs was captured or received; the rest is outstanding.",
    "PaymentStatus.PAID": "What the order costs was captured or received in full.",
    "PaymentStatus.PARTIALLY_REFUNDED": "Paid, then part of the captured amount was refunded.",
    "PaymentStatus.REFUNDED": "Everything captured was refunded.",
    "PaymentStatus.VOIDED": "The authorization was released without capture; nothing was taken.",
    "PaymentStatus.REFUSED": "The last payment was refused; pay again with payOrder.",
    "LogisticOrderStatus": "The progress of a logistic order; it only moves forward.",
    "LogisticOrderStatus.ORDER_CREATED": "Created at placement.",
    "LogisticOrderStatus.WAITING_SUPPLIER_APPROVAL": "Sent to the supplier, waiting for its answer.",
    "LogisticOrderStatus.ACCEPTED_BY_SUPPLIER": "The supplier accepted it.",
    "LogisticOrderStatus.DECLINED_BY_SUPPLIER": "The supplier declined it (final).",
    "LogisticOrderStatus.WAITING_SHIPMENT": "Ready, waiting to be shipped.",
    "LogisticOrderStatus.PARTIALLY_SHIPPED": "Some lines shipped.",
    "LogisticOrderStatus.SHIPPED": "Everything shipped.",
    "LogisticOrderStatus.COMPLETED": "Delivered and closed (final).",
    "LogisticOrderStatus.CANCELED": "Canceled (final).",
    "OrderEvent": "Something that happened to an order (placement, transitions, incidents, cancellation).",
    "OrderEvent.type": "What happened, e.g. PLACED, STATUS_CHANGED, CANCELED.",
    "OrderEvent.at": "When.",
    "OrderEvent.actor": "Who (a user id or a system name), if known.",
    "OrderEvent.detail": "Details, e.g. the new status or a note.",
    "OrderEvent.logisticOrderId": "The logistic order concerned, if any.",
    "OrderSource": "Where an order comes from: a quote, an operation, an earlier order (reorder) or a requisition "
    "list.",
    "OrderSourceType": "The kind of source of an order.",
    "OrderSourceType.QUOTE": "Made from a quote (createDraftOrderFromQuote).",
    "OrderSourceType.OPERATION": "Made from an operation (createDraftOrderFromOperation).",
    "PastedLineResult.ADDED": "Added to the draft: a new line, or more of a line the draft had (draftLineId).",
    "PastedLineResult.REFUSED": "Not added: problems say why (also in the payload's errors).",
    "PastedLineResult.IGNORED": "A header row naming the columns: not a line to add.",
    "OrderSourceType.ORDER": "A reorder of an earlier order (createDraftOrderFromOrder).",
    "OrderSourceType.REQUISITION_LIST": "Made from a requisition list (createDraftOrderFromRequisitionList).",
    "OrderSource.type": "Quote, operation, earlier order or requisition list.",
    "OrderSource.id": "The quote's, operation's, order's or requisition list's id (a list may be deleted since).",
    "LogisticOrder.incident": "Whether an operator raised the INCIDENT flag.",
    "LogisticOrder.supplier": "Who fulfils it.",
    "LogisticOrder.lines": "The lines this supplier fulfils.",
    "LogisticOrder.total": "Its total, tax included.",
    "OrderLine.supplier": "Who fulfils the line.",
    "Order.cancelReason": "Why it was canceled, if it was.",
    "CommercialOrder.id": "Stable across states: the same id as a DraftOrder and as an Order.",
    "CommercialOrder.reference": "The human reference, e.g. ORD-000123 (order(id) takes it too).",
    "CommercialOrder.status": "Its state; DRAFT and DRAFT_ON_HOLD mean a DraftOrder.",
    "CommercialOrder.paymentStatus": "Where its payment stands.",
    "CommercialOrder.createdAt": "When the draft was created.",
    "CommercialOrder.updatedAt": "When it last changed.",
    "CommercialOrder.placedAt": "When it was placed (null for a draft).",
    "CommercialOrder.customerReference": "The buyer's own reference (purchase order number).",
    "CommercialOrder.notes": "The buyer's notes.",
    "CommercialOrder.subtotal": "Lines net of line discounts.",
    "CommercialOrder.shippingTotal": "Shipping, net.",
    "CommercialOrder.taxTotal": "Tax on lines (after the order discount's share).",
    "CommercialOrder.discountTotal": "All discounts: line discounts plus the order-level discount (as amountSaved).",
    "CommercialOrder.total": "What the buyer pays: subtotal (net of line discounts) less the order-level discount, "
    "plus shippingTotal and taxTotal.",
    "CommercialOrder.lines": "Its lines: priced live for a draft, frozen once placed.",
    "CommercialOrder.logisticOrders": "One per supplier once placed; empty for a draft.",
    "CommercialOrder.events": "What happened to it, oldest first.",
    "CommercialOrder.shippingAddress": "Where it ships.",
    "CommercialOrder.billingAddress": "Who is billed.",
    "CommercialOrder.metadata": "The client's key-value pairs.",
    "CommercialOrder.shippingMethod": "The chosen shipping method.",
    "CommercialOrder.payments": "Its payment attempts, oldest first.",
    "CommercialOrder.source": "The quote, operation, order or requisition list it comes from, if any.",
    "CommercialOrderLine.id": "The line's id.",
    "CommercialOrderLine.quantity": "Units.",
    "CommercialOrderLine.unitPrice": "Net unit price (tier and account prices applied).",
    "CommercialOrderLine.discount": "The line discount, on the whole line.",
    "CommercialOrderLine.tax": "Tax of the line.",
    "CommercialOrderLine.total": "Net line total: unit price x quantity - discount.",
    "CommercialOrderLine.variant": "What is bought.",
    "CommercialOrderLine.sku": "The variant's SKU (null on a draft line whose offer is gone).",
    "DraftOrderLine": "A line of a draft, priced live.",
    "DraftOrderLine.offer": "The offer bought (available: false when it cannot be bought any more).",
    "DraftOrder.version": "Bumped by every change: send it as expectedVersion to detect concurrent edits.",
    "DraftOrder.shippingType": "A free shipping type label, if any.",
    "DraftOrder.isCart": "Whether it is the buyer's cart.",
    "DraftOrderConnection": _CONNECTION.format("drafts"),
    "DraftOrderEdge": _EDGE.format("draft"),
    "OrderConnection": _CONNECTION.format("commercial orders (drafts and orders)"),
    "OrderEdge": _EDGE.format("commercial order"),
    "OrderEdge.node": "The order: a DraftOrder while it is a draft, else an Order (`__typename` tells).",
    "OrderFilter.status": "Any of these statuses.",
    "OrderFilter.placed": "true: orders past the draft; false: drafts only.",
    "OrderFilter.sourceTypes": "Any of these source kinds; a value outside OrderSourceType is a validation error.",
    "Promotion.requiresVoucher": "It applies only through a voucher (else it applies by itself).",
    "Promotion.minOrderTotal": "The subtotal (after line discounts) it needs; null: none.",
    "Voucher.promotion": "Code of the promotion the voucher unlocks.",
    "Voucher.maxUses": "MULTIPLE: how many uses in all (null: unlimited).",
    "Voucher.usedCount": "Uses counted by placed orders (a canceled order gives its use back).",
    "CreateOrderFromCartPayload": "What createOrderFromCart answers: the placed order, the payment page (CHECKOUT "
    "with a redirect method), or the errors (nothing changed).",
    "CreateOrderFromCartPayload.order": "The order placed from the cart (PLACED, AWAITING_PAYMENT).",
    "CreateOrderFromCartInput": "Turn the cart into an order: what to do after, and the billing address.",
    "CreateOrderFromCartInput.action": "CHECKOUT also starts the payment; SAVE_ORDER only saves the order.",
    "CreateOrderFromCartInput.returnUrl": "Where the payment page sends the buyer back (default: a gateway page).",
    "CartOrderAction.CHECKOUT": "Place the order and start its payment (answers nextStep for a redirect method).",
    "CartOrderAction.SAVE_ORDER": "Place the order only; pay it later with payOrder.",
    "AddressInput.street": "Street and number.",
    "AddressInput.city": "City.",
    "AddressInput.country": "The full country name (ISO 3166), e.g. 'Canada', never a code.",
    "AddressInput.fullName": "Addressee.",
    "AddressInput.postalCode": "Postal code.",
    "AddressInput.state": "State, province or region.",
    "AddressInput.phone": "Phone number.",
    "OrderFilter.sourceIds": "Any of these quote, operation, order or requisition list ids.",
    "OrderFilter.createdFrom": "Created at or after.",
    "OrderFilter.createdTo": "Created before.",
    "OrderFilter.placedFrom": "Placed at or after.",
    "OrderFilter.placedTo": "Placed before.",
    "OrderFilter.metadata": "Has every one of these key-value pairs.",
    # inputs and payloads of drafts
    "CreateDraftOrderInput": "A new draft: details as in UpdateDraftOrderInput, optional lines.",
    "CreateDraftOrderInput.lines": "Lines to add at once (as addDraftOrderLines).",
    "DraftOrderLineInput": "A line to add. Name exactly one of offerId, variantId and sku: a line with none or "
    "several is an INVALID_INPUT error with its index (the other lines still apply).",
    "DraftOrderLineInput.offerId": "The offer to buy (or give variantId or sku instead).",
    "DraftOrderLineInput.variantId": "The variant to buy, at its best offer for the viewer (or give offerId or sku).",
    "DraftOrderLineInput.quantity": "Units; within the offer's min, max and pack size.",
    "DraftOrderLineUpdateInput": "A new quantity for one line.",
    "DraftOrderLineUpdateInput.quantity": "The new quantity; 0 removes the line.",
    "UpdateDraftOrderInput.shippingAddressId": "An address of the account usable for shipping.",
    "UpdateDraftOrderInput.billingAddressId": "An address of the account usable for billing.",
    "UpdateDraftOrderInput.shippingType": "A free shipping type label.",
    "UpdateDraftOrderInput.customerReference": "The buyer's own reference.",
    "UpdateDraftOrderInput.notes": "Notes for the order.",
    "UpdateDraftOrderInput.metadata": "Key-value pairs to upsert by key.",
    "PlaceDraftOrderInput": "How to place a draft.",
    "PlaceDraftOrderInput.expectedVersion": "The draft's version as last read; another answers VERSION_CONFLICT.",
    "DraftOrderPayload": "The draft after the mutation, with errors and warnings.",
    "DraftOrderPayload.draftOrder": "The draft (as it was when the mutation was refused), or null.",
    "DeleteDraftOrderPayload": "The result of deleteDraftOrder.",
    "PlaceDraftOrderPayload": "The result of placeDraftOrder.",
    "PlaceDraftOrderPayload.nextStep": "The payment page to send the buyer to (redirect methods), else null.",
    "CheckoutCartPayload": "The result of checkoutCart.",
    "CheckoutCartPayload.result": "How to continue, or null when refused.",
    "PayOrderPayload": "The result of payOrder.",
    "PayOrderPayload.result": "How to continue, or null when refused.",
    "DirectPayment.orderKey": "The order's reference.",
    "CheckoutCartInput": "What checkoutCart needs.",
    "LogisticOrderPayload": "The logistic order after the mutation.",
    "LogisticOrderPayload.logisticOrder": "The logistic order, or null.",
    "OrderPayload": "The order after the mutation.",
    "OrderPayload.order": "The order, or null.",
    "CreateTokenPayload": "The result of createToken.",
    "CreateTokenPayload.token": "The bearer token (send `Authorization: Bearer <token>`), null on error.",
    "CreateTokenPayload.expiresAt": "When the token expires.",
    "RevokeTokenPayload": "The result of revokeToken.",
    "RevokeTokenPayload.revoked": "Whether a token was revoked.",
    "Payment.status": "Where the attempt stands.",
    "Payment.amount": "The amount asked.",
    "PaymentMethod.kind": "REDIRECT or DIRECT.",
    "ShippingMethod.price": "The net price added to the order as shippingTotal.",
    "PaymentAttemptStatus.PENDING": "Started, waiting for the provider.",
    "PaymentAttemptStatus.APPROVED": "Approved: the order is paid.",
    "PaymentAttemptStatus.REFUSED": "Refused by the provider.",
    "PaymentAttemptStatus.EXPIRED": "Not answered in time.",
    "PaymentAttemptStatus.CANCELED": "Canceled by the buyer (cancelPayment) before the provider answered.",
    "PaymentKind.REDIRECT": "The buyer pays on the provider's page (nextStep).",
    "PaymentKind.DIRECT": "Paid later outside the gateway (bank wire, on delivery); the order is placed at once.",
    # quotes and operations
    "Quote": "Prices agreed with a buyer for some lines, valid until it expires.",
    "QuoteStatus": "Where a quote stands.",
    "QuoteStatus.NEW": "Created, not sent yet.",
    "QuoteStatus.WAITING_FOR_SUPPLIER_INFORMATION": "Waiting for the supplier's answer.",
    "QuoteStatus.WAITING_FOR_CUSTOMER": "Sent to the buyer, who may make a draft of it.",
    "QuoteStatus.DECLINED_BY_CUSTOMER": "Declined by the buyer (final).",
    "QuoteStatus.DECLINED_BY_SUPPLIER": "Declined by the operator (final).",
    "QuoteStatus.VALIDATED": "Accepted: a draft was made of it.",
    "QuoteStatus.EXPIRED": "Past expiresAt (final).",
    "QuoteLine": "A quoted line: an offer, a quantity, an agreed price.",
    "QuoteLine.unitPrice": "The agreed net unit price.",
    "QuoteLine.offer": "The offer quoted.",
    "PromotionConnection": _CONNECTION.format("promotions"),
    "PromotionEdge": _EDGE.format("promotion"),
    "VoucherConnection": _CONNECTION.format("vouchers"),
    "VoucherEdge": _EDGE.format("voucher"),
    "WebhookDeliveryConnection": _CONNECTION.format("webhook deliveries"),
    "WebhookDeliveryEdge": _EDGE.format("webhook delivery"),
    "QuoteConnection": _CONNECTION.format("quotes"),
    "QuoteEdge": _EDGE.format("quote"),
    "Quote.expiresAt": "When it expires, if ever.",
    "Operation": "A sales operation: chosen variants with recommended quantities, for some accounts, for a time.",
    "OperationType": "Who an operation is open to.",
    "OperationType.PUBLIC": "Every account of the store.",
    "OperationType.PRIVATE": "Only the accounts listed.",
    "OperationStatus": "Where an operation stands.",
    "OperationStatus.DRAFT": "Being prepared; not open to buyers.",
    "OperationStatus.ACTIVE": "Open to buyers between startsAt and endsAt.",
    "OperationStatus.INACTIVE": "Paused; not open to buyers.",
    "Operation.startsAt": "Opens then.",
    "Operation.endsAt": "Closes then, if ever.",
    "OperationLine": "A variant of an operation with its quantity rules.",
    "OperationLine.recommendedQuantity": "The quantity a full draft takes.",
    "OperationConnection": _CONNECTION.format("operations"),
    "OperationEdge": _EDGE.format("operation"),
    "QuotePayload": "The quote after the mutation.",
    "QuotePayload.quote": "The quote, or null.",
    "CreateQuoteInput": "A new quote.",
    "CreateQuoteInput.accountId": "The buyer's account.",
    "CreateQuoteInput.expiresAt": "When it expires, if ever.",
    "CreateQuoteInput.lines": "The quoted lines.",
    "QuoteLineInput": "A quoted line.",
    "QuoteLineInput.offerId": "The offer quoted.",
    "OperationPayload": "The operation after the mutation.",
    "OperationPayload.operation": "The operation, or null.",
    "CreateOperationInput": "A new operation (DRAFT).",
    "CreateOperationInput.type": "PUBLIC or PRIVATE.",
    "CreateOperationInput.startsAt": "Opens then.",
    "CreateOperationInput.endsAt": "Closes then, if ever.",
    "CreateOperationInput.lines": "Its variants and quantity rules.",
    "CreateOperationInput.accountIds": "The accounts of a PRIVATE operation.",
    "OperationLineInput": "A variant of an operation and its quantity rules.",
    "OperationLineInput.recommendedQuantity": "The quantity a full draft takes.",
    "UpdateOperationInput": "Changes to an operation; fields left out are unchanged.",
    "UpdateOperationInput.lines": "New lines (replace the old ones).",
    "UpdateOperationInput.accountIds": "New accounts (replace the old ones).",
    "DeleteOperationPayload": "The result of deleteOperation.",
    # webhooks
    "WebhookSubscription.url": "Where events are POSTed (signed, Standard Webhooks).",
    "WebhookSubscription.eventTypes": "The events sent.",
    "WebhookSubscription.active": "Whether deliveries are made.",
    "WebhookSubscription.description": "A note for operators.",
    "WebhookDelivery.eventId": "The event's id (the webhook-id header).",
    "WebhookDelivery.eventType": "The event's type.",
    "WebhookDelivery.status": "Where the delivery stands.",
    "WebhookDelivery.attempts": "Attempts made so far.",
    "WebhookDelivery.lastStatusCode": "The HTTP status of the last attempt, if one answered.",
    "WebhookDelivery.lastError": "Why the last attempt failed, if it did.",
    "WebhookDelivery.nextAttemptAt": "When the next attempt is due, if any.",
    "WebhookDelivery.deliveredAt": "When it was delivered, if it was.",
    "WebhookDeliveryStatus": "Where a webhook delivery stands.",
    "WebhookDeliveryStatus.PENDING": "To be sent or retried.",
    "WebhookDeliveryStatus.DELIVERED": "The receiver answered 2xx.",
    "WebhookDeliveryStatus.DEAD": "Given up after the last retry.",
    "WebhookEventType.ORDER_PLACED": "An order was placed.",
    "WebhookEventType.ORDER_PAID": "An order's payment was approved.",
    "WebhookEventType.ORDER_PAYMENT_REFUSED": "An order's payment was refused.",
    "WebhookEventType.ORDER_CANCELED": "An order was canceled.",
    "WebhookEventType.LOGISTIC_ORDER_STATUS_CHANGED": "A logistic order moved to another status.",
    "WebhookEventType.DRAFT_ORDER_DELETED": "A draft was deleted.",
    "CaptureMode.AUTOMATIC": "The provider's approval takes the money at once.",
    "CaptureMode.MANUAL": "The approval only holds the amount; capturePayment (or the shipment) takes it.",
    "OrderTransactionPayload.order": "The order with its ledger amounts after the call (null when refused before).",
    "RefundOrderPayload.order": "The order with its ledger amounts after the call (null when refused).",
    "RefundProposalPayload.proposal": "What the refund would give back (null when refundOrder would refuse it).",
    "Query.refundProposal(orderId:)": _ORDER_KEY,
    "Query.refundProposal(lines:)": "Units of the order's lines to give back, each line at most once.",
    "Query.refundProposal(shipping:)": "Give the shipping charge back (at most once).",
    "Query.refundProposal(amount:)": "As RefundOrderInput.amount: alone, a goodwill amount; with lines or shipping, "
    "optional, and then it must equal their value.",
    "PaymentTransaction.kind": "What the entry records.",
    "PaymentTransaction.amount": "Its amount, always positive (a refund's amount is what is given back).",
    "PaymentTransactionKind.AUTHORIZATION": "The provider holds the amount on the buyer's means of payment.",
    "PaymentTransactionKind.CAPTURE": "A held amount (or part of it) is taken.",
    "PaymentTransactionKind.VOID": "A held amount that was not taken is released.",
    "PaymentTransactionKind.REFUND": "Captured money is given back to the buyer.",
    "PaymentTransactionKind.MANUAL": "Money received outside a provider (bank wire, cash), recorded by an operator.",
    "PaymentTransactionStatus.PENDING": "Asked of the provider and not answered yet; its amount is already reserved.",
    "PaymentTransactionStatus.SUCCEEDED": "Done: it counts in the order's amounts.",
    "PaymentTransactionStatus.FAILED": "The provider refused it: it counts for nothing (see failure).",
    "WebhookEventType.PAYMENT_AUTHORIZED": "A payment with manual capture was approved: its amount is held.",
    "WebhookEventType.PAYMENT_RECEIVED": "An operator recorded money received for an order (recordPayment).",
    "WebhookEventType.PAYMENT_CAPTURED": "Held money was captured (capturePayment, or at shipment).",
    "WebhookEventType.PAYMENT_VOIDED": "A held amount was released without being captured.",
    "WebhookEventType.PAYMENT_REFUNDED": "A refund succeeded: the money is back with the buyer.",
    "WebhookEventType.PAYMENT_REFUND_FAILED": "A refund failed at the provider: its amount can be refunded again.",
    "WebhookEventType.ORDER_SHIPPED": "A shipment of an order was recorded (createShipment).",
    "WebhookEventType.ORDER_RETURNED": "A return of an order was recorded (createReturn).",
    "WebhookSubscriptionPayload": "The webhook after the mutation.",
    "WebhookSubscriptionPayload.subscription": "The webhook, or null.",
    "CreateWebhookSubscriptionInput": "A new webhook for the current store.",
    "UpdateWebhookSubscriptionInput": "Changes to a webhook; fields left out are unchanged.",
    "DeleteWebhookSubscriptionPayload": "The result of deleteWebhookSubscription.",
    "WebhookEventType.ORDER_APPROVAL_REQUESTED": "Supplier parts of a draft wait for an approval (requestApproval; "
    "payload `parts`, `comment`).",
    "WebhookEventType.ORDER_APPROVED": "An approver approved supplier parts (payload `parts`, `comment`); placed parts "
    "also send order.placed.",
    "WebhookEventType.ORDER_REJECTED": "An approver rejected supplier parts (payload `parts`, `comment`).",
    "AccountMember.user": "The user.",
    "AccountMember.role": "Its role in the account.",
    "AccountMemberPayload": "The member after the mutation.",
    "AccountMemberPayload.member": "The member, or null when refused.",
    "AccountPermission.VIEW_ORDERS": "Read the account's drafts and orders.",
    "AccountPermission.EDIT_DRAFTS": "Create, edit and delete drafts.",
    "AccountPermission.PLACE_ORDERS": "Place drafts, ask for approvals, pay orders.",
    "AccountPermission.APPROVE_ORDERS": "Approve or reject other users' supplier parts.",
    "AccountPermission.MANAGE_MEMBERS": "Add and remove members, set their roles.",
    "AccountPermission.MANAGE_RULES": "Create and delete approval rules.",
    "AccountPermission.MANAGE_BUDGETS": "Set and delete budgets.",
    "AccountRole.ADMIN": "Every permission: manages members, rules and budgets, buys, approves any tier.",
    "AccountRole.BUYER": "Creates and places drafts within the rules.",
    "AccountRole.APPROVER": "Approves or rejects supplier parts (within its approval limit); reads orders.",
    "AccountRole.VIEWER": "Reads the account's drafts and orders.",
    "ApprovalRuleInput.minAmount": 'The part\'s total (tax included) must be above it (a decimal such as "1000.00").',
    "ApprovalRuleInput.requesterRole": "Only drafts of users with this role; null: everyone's.",
    "ApprovalRuleInput.approverRole": "Who approves the first tier (ADMIN approves any tier).",
    "ApprovalRuleInput.secondTierAmount": "A part above this total needs a second approval, by another user.",
    "ApprovalRuleInput.secondTierRole": "Who gives the second approval (default ADMIN).",
    "ApprovalRulePayload": "The approval rule after the mutation.",
    "ApprovalRulePayload.approvalRule": "The rule, or null when refused.",
    "Budget.period": "The calendar period it renews with.",
    "Budget.amount": "What may be spent per period.",
    "BudgetInput.costCentre": "The cost centre (1 to 50 characters); null: a budget over every order of the account.",
    "BudgetInput.period": "The calendar period (default MONTH).",
    "BudgetPayload": "The budget after the mutation.",
    "BudgetPayload.budget": "The budget with its current period's usage, or null when refused.",
    "BudgetPeriod.MONTH": "A calendar month (UTC).",
    "BudgetPeriod.QUARTER": "A calendar quarter (UTC).",
    "BudgetPeriod.YEAR": "A calendar year (UTC).",
    "BudgetMode.BLOCK": "An order over the budget is refused (BUDGET_EXCEEDED, blocking).",
    "BudgetMode.REQUIRE_APPROVAL": "An order over the budget needs an approval; the approved order is spent beyond "
    "the limit (a BUDGET_OVERRIDDEN order event) and counted like any other.",
    "DeletedPayload": "The result of a delete.",
    "Mutation.requestApproval(comment:)": "For the approvers (1000 characters).",
    "Mutation.requestApproval(placeRest:)": "Place the parts that need no approval at once, as their own order.",
    "Mutation.requestApproval(paymentMethodId:)": "A DIRECT method (or none) the order is placed with once approved.",
    "Mutation.requestApproval(draftOrderId:)": "The draft (id or reference).",
    "Mutation.requestApproval(expectedVersion:)": "The draft's version the buyer saw (else VERSION_CONFLICT).",
    "Mutation.approveDraftOrder(parts:)": "Supplier ids of the parts to approve; default: every waiting part.",
    "Mutation.approveDraftOrder(comment:)": "Kept on the approval (1000 characters).",
    "Mutation.rejectDraftOrder(parts:)": "Supplier ids of the parts to reject; default: every waiting part.",
    "Mutation.rejectDraftOrder(comment:)": "Why, kept on the approval (1000 characters).",
    "Mutation.addAccountMember(email:)": "A customer user of the tenant.",
    "Mutation.addAccountMember(role:)": "Its role in the account.",
    "Mutation.addAccountMember(approvalLimit:)": "Parts it may approve up to this total; null: no limit of its own.",
    "Mutation.setAccountMemberRole(userId:)": "The member's user id or email.",
    "Mutation.setAccountMemberRole(role:)": "The new role.",
    "Mutation.setAccountMemberRole(approvalLimit:)": "Approves parts up to this total; null: no limit of its own.",
    "Mutation.removeAccountMember(userId:)": "The member's user id or email.",
    "Mutation.setAccountPaymentTerms(accountId:)": "The account (id or external id).",
    "Mutation.setAccountPaymentTerms(terms:)": "The terms; null removes them.",
    "PartApproval.tiersNeeded": "Approvals the part needs (2 above the rule's second tier).",
    "PartApproval.tiersApproved": "Approvals given so far.",
    "PartApproval.requestedBy": "Who asked (email).",
    "PartApproval.requestComment": "The requester's comment.",
    "PartApproval.decidedBy": "Who approved in full or rejected (email).",
    "PartApproval.decisionComment": "The decider's comment.",
    "PartApproval.decidedAt": "When it was decided.",
    "PartApprovalStatus.PENDING": "Waiting for (another) approval.",
    "PartApprovalStatus.APPROVED": "Approved in full: placed.",
    "PartApprovalStatus.REJECTED": "Rejected: the part went back to the draft.",
    "PaymentTermsInput": "Payment terms of an account.",
    "PaymentTermsInput.days": "NET: days after placement (0 to 365).",
    "PaymentTermsPayload": "The account's payment terms after the mutation.",
    "PaymentTermsPayload.paymentTerms": "The terms (null: none).",
    "PaymentTermsType.NET": "Due `days` days after placement.",
    "PaymentTermsType.END_OF_MONTH": "Due at the end of the month of placement.",
    "PaymentTermsType.ON_RECEIPT": "Due at once, on receipt of the invoice.",
    "Query.budgets(accountId:)": "Operators: the account (id or external id); buyers: ignored (their own).",
    "RemoveAccountMemberPayload": "The result of removeAccountMember.",
    "RemoveAccountMemberPayload.removedUserId": "The user who left the account, or null when refused.",
}

# Fields, arguments and input fields by name, where the name says it all.
BY_NAME: dict[str, str] = {
    "id": "The id.",
    "externalId": "The id in the tenant's own systems, if any.",
    "name": "The name.",
    "code": "A stable code; accepted wherever the id is.",
    "reference": "The human reference.",
    "status": "The status.",
    "type": "The type.",
    "currency": "ISO 4217 currency code.",
    "createdAt": "When it was created.",
    "updatedAt": "When it last changed.",
    "expiresAt": "When it expires.",
    "errors": "Business errors; empty on success (codes: ErrorCode).",
    "warnings": "Notes that did not prevent the change (price changes, skipped lines).",
    "edges": "The items of this page, with their cursors.",
    "node": "The item.",
    "cursor": "Pass it as after to read what follows.",
    "pageInfo": "Where this page stands.",
    "totalCount": "How many items match, over all pages.",
    "first": "Page size (default 20, at most 100).",
    "after": "A cursor: read what follows it (endCursor of the previous page).",
    "last": "Page size when paging backward (default 20, at most 100): the items just before `before`, or the "
    "last ones. Not with first or after.",
    "before": "A cursor: read what precedes it (startCursor of the next page). Not with first or after.",
    "input": "The input.",
    "filter": "Which items.",
    "quantity": "Units.",
    "variant": "The variant.",
    "variantId": "The variant's id.",
    "offerId": "The offer's id.",
    "offer": "The offer.",
    "sku": "The variant's SKU.",
    "unitPrice": "Net unit price.",
    "minQuantity": "The least quantity.",
    "maxQuantity": "The most quantity, if limited.",
    "recommendedQuantity": "The suggested quantity.",
    "lines": "The lines.",
    "lineId": "The line's id.",
    "key": "The key (at most 64 characters).",
    "value": "The value.",
    "deletedId": "The id of what was deleted, null when refused.",
    "expectedVersion": "The draft's version as last read; another answers VERSION_CONFLICT, nothing changes.",
    "idempotencyKey": "Same key and same input: the first result again; another input: IDEMPOTENCY_KEY_REUSED.",
    "draftOrderId": _DRAFT_KEY,
    "quoteId": _QUOTE_KEY,
    "operationId": _OPERATION_KEY,
    "paymentMethodId": "Id or code of an active payment method.",
    "accountIds": "Account ids.",
    "url": "An https URL.",
    "eventTypes": "Event types.",
    "description": "A description.",
    "active": "Whether it is active.",
    "metadata": "Key-value pairs.",
    "notes": "Notes.",
    "customerReference": "The buyer's own reference.",
    "shippingAddressId": "An address id of the account usable for shipping.",
    "billingAddressId": "An address id of the account usable for billing.",
    "shippingType": "A free shipping type label.",
    "subtotal": "Lines net of line discounts.",
    "shippingTotal": "Shipping, net.",
    "taxTotal": "Tax.",
    "discountTotal": "The order-level discount.",
    "total": "The total.",
    "discount": "The discount.",
    "tax": "The tax.",
    "supplier": "The supplier.",
    "source": "The quote, operation, order or requisition list it comes from, if any.",
    "shippingAddress": "Where it ships.",
    "billingAddress": "Who is billed.",
    "paymentStatus": "Where its payment stands.",
    "placedAt": "When it was placed.",
    "events": "What happened to it, oldest first.",
    "startsAt": "Opens then.",
    "endsAt": "Closes then, if ever.",
}


def served_types(schema: strawberry.Schema) -> dict[str, GraphQLNamedType]:
    """The GraphQL types the schema serves, by name: strawberry's converter keeps, for each type it converted
    (built-in scalars included), the very object the served schema is made of."""
    return {name: concrete.implementation for name, concrete in schema.schema_converter.type_map.items()}


@cache
def served_graphql_schema(schema: strawberry.Schema) -> GraphQLSchema:
    """A graphql-core schema over the very types `schema` serves, through public API only (strawberry keeps
    its own graphql-core schema in a private attribute): what the document limits measure and tests validate
    against. Built once per schema."""
    types = served_types(schema)
    root = {name: types[name] for name in ("Query", "Mutation", "Subscription") if name in types}
    return GraphQLSchema(
        query=root.get("Query"),  # type: ignore[arg-type]
        mutation=root.get("Mutation"),  # type: ignore[arg-type]
        subscription=root.get("Subscription"),  # type: ignore[arg-type]
        types=list(types.values()),
    )


def document(types: Mapping[str, GraphQLNamedType]) -> None:
    """Fill in every missing description; raise on an entry of DESCRIPTIONS the schema does not have."""
    used: set[str] = set()

    def text(coordinate: str, name: str, inherited: str | None = None) -> str | None:
        if coordinate in DESCRIPTIONS:
            used.add(coordinate)
            return DESCRIPTIONS[coordinate]
        return inherited or BY_NAME.get(name)

    # Interfaces first, so a field of an implementing type inherits the interface's filled-in description.
    ordered = sorted(types.items(), key=lambda item: not isinstance(item[1], GraphQLInterfaceType))
    for type_name, t in ordered:
        if type_name.startswith("__"):
            continue
        if not t.description and type_name in DESCRIPTIONS:
            t.description = text(type_name, type_name)
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in t.fields.items():
                coordinate = f"{type_name}.{field_name}"
                if not field.description:
                    inherited = next(
                        (i.fields[field_name].description for i in t.interfaces if field_name in i.fields), None
                    )
                    field.description = text(coordinate, field_name, inherited)
                for arg_name, arg in field.args.items():
                    if not arg.description:
                        arg.description = text(f"{coordinate}({arg_name}:)", arg_name)
        elif isinstance(t, GraphQLInputObjectType):
            for field_name, field in t.fields.items():
                if not field.description:
                    field.description = text(f"{type_name}.{field_name}", field_name)
        elif isinstance(t, GraphQLEnumType):
            for value_name, value in t.values.items():
                if not value.description:
                    value.description = text(f"{type_name}.{value_name}", value_name)
    stale = set(DESCRIPTIONS) - used - {c for c in DESCRIPTIONS if _described_in_code(types, c)}
    if stale:
        raise KeyError(f"descriptions of coordinates the schema lacks: {sorted(stale)}")


def _described_in_code(types: Mapping[str, GraphQLNamedType], coordinate: str) -> bool:
    """An entry whose element exists but already had a description written next to it: tolerated (not stale)."""
    type_name, _, rest = coordinate.partition(".")
    t = types.get(type_name)
    if t is None:
        return False
    if not rest:
        return True
    name, _, arg = rest.partition("(")
    fields = getattr(t, "fields", None) or getattr(t, "values", None) or {}
    if name not in fields:
        return False
    return not arg or arg.rstrip(":)") in fields[name].args
