"""Query and Mutation roots: each field names its resolver."""

from __future__ import annotations

import strawberry

from app.resolvers import approvals as approvals_r
from app.resolvers import catalog as catalog_r
from app.resolvers import checkout as checkout_r
from app.resolvers import drafts as drafts_r
from app.resolvers import ledger as ledger_r
from app.resolvers import nodes as nodes_r
from app.resolvers import orders as orders_r
from app.resolvers import promotions as promotions_r
from app.resolvers import purchasing as purchasing_r
from app.resolvers import refunds as refunds_r
from app.resolvers import self_service as self_service_r
from app.resolvers import shipping as shipping_r
from app.resolvers import sources as sources_r
from app.resolvers import viewer as viewer_r
from app.resolvers import webhooks as webhooks_r
from app.schema.approvals import (
    AccountMember,
    AccountMemberPayload,
    ApprovalPayload,
    ApprovalRule,
    ApprovalRulePayload,
    Budget,
    BudgetPayload,
    DeletedPayload,
    PaymentTermsPayload,
    RemoveAccountMemberPayload,
)
from app.schema.catalog import Product, ProductConnection
from app.schema.checkout import CheckoutCartPayload, PayOrderPayload
from app.schema.common import Node
from app.schema.drafts import (
    DeleteDraftOrderPayload,
    DraftOrder,
    DraftOrderConnection,
    DraftOrderPayload,
    PlaceDraftOrderPayload,
)
from app.schema.ledger import OrderTransactionPayload
from app.schema.order_parts import LogisticOrder
from app.schema.orders import LogisticOrderPayload, Order, OrderConnection, OrderPayload
from app.schema.payments import PaymentMethod, ShippingMethod
from app.schema.promotions import CreateOrderFromCartPayload, PromotionConnection, VoucherConnection
from app.schema.purchasing import (
    AddDraftOrderLinesFromTextPayload,
    DeleteRequisitionListPayload,
    RequisitionList,
    RequisitionListConnection,
    RequisitionListPayload,
)
from app.schema.refunds import RefundOrderPayload, RefundProposalPayload
from app.schema.self_service import (
    AddressPayload,
    CancelPaymentPayload,
    DeleteAddressPayload,
    UpdateProfilePayload,
)
from app.schema.shipping import CreateReturnPayload, CreateShipmentPayload
from app.schema.sources import (
    DeleteOperationPayload,
    Operation,
    OperationConnection,
    OperationPayload,
    Quote,
    QuoteConnection,
    QuotePayload,
)
from app.schema.viewer import CreateTokenPayload, RevokeTokenPayload, Viewer
from app.schema.webhooks import (
    DeleteWebhookSubscriptionPayload,
    WebhookDeliveryConnection,
    WebhookSubscription,
    WebhookSubscriptionPayload,
)


@strawberry.type
class Query:
    viewer: Viewer = strawberry.field(resolver=viewer_r.viewer, description="Who is calling, where.")
    node: Node | None = strawberry.field(
        resolver=nodes_r.node,
        description="Any object by its id (Relay's refetch): what the field that shows it would answer the caller; "
        "null when the id names nothing the caller may see. A commercial order answers as its state's type "
        "(DraftOrder or Order, docs/clients.md).",
    )
    nodes: list[Node | None] = strawberry.field(
        resolver=nodes_r.nodes,
        description="Several nodes at once: node(id:) for up to 100 ids, in their order (null where node would "
        "be null); a fixed number of statements whatever the count.",
    )
    products: ProductConnection = strawberry.field(
        resolver=catalog_r.products, description="Products the caller may see, by name; search by name or SKU."
    )
    product: Product | None = strawberry.field(
        resolver=catalog_r.product, description="A product the caller may see, else null."
    )
    draft_order: DraftOrder | None = strawberry.field(
        resolver=drafts_r.draft_order, description="A draft of the caller's account (null when absent or foreign)."
    )
    draft_orders: DraftOrderConnection = strawberry.field(
        resolver=drafts_r.draft_orders,
        description="The buyer's drafts, newest first (operators: orders(filter: {placed: false})).",
    )
    cart: DraftOrder = strawberry.field(
        resolver=checkout_r.cart,
        description="The buyer's cart: its current draft for this account and store, created when first needed. "
        "Edit it with the draft mutations; check it out with checkoutCart or createOrderFromCart.",
    )
    payment_methods: list[PaymentMethod] = strawberry.field(
        resolver=checkout_r.payment_methods,
        description="Active payment methods; with draftOrderId, those that support that draft (products, total).",
    )
    shipping_methods: list[ShippingMethod] = strawberry.field(
        resolver=checkout_r.shipping_methods,
        description="Active shipping methods; with draftOrderId, those that carry that draft's content.",
    )
    promotions: PromotionConnection = strawberry.field(
        resolver=promotions_r.promotions,
        description="Operators: the tenant's promotions with their budget usage, by code.",
    )
    vouchers: VoucherConnection = strawberry.field(
        resolver=promotions_r.vouchers_list,
        description="Operators: the tenant's vouchers with their use counts, by code.",
    )
    order: Order | None = strawberry.field(resolver=orders_r.order, description="By id or reference.")
    orders: OrderConnection = strawberry.field(
        resolver=orders_r.orders,
        description="Drafts and placed orders. orderBy: keys applied in order, default createdAt DESC; the "
        "reference ascending settles ties. Paged forward (first/after) or backward (last/before).",
    )
    logistic_order: LogisticOrder | None = strawberry.field(resolver=orders_r.logistic_order)
    refund_proposal: RefundProposalPayload = strawberry.field(
        resolver=refunds_r.refund_proposal,
        description="Operators: what refundOrder would give back with the same lines, shipping and amount, computed "
        "by the same function (its refusals too, as errors), without writing anything.",
    )
    quote: Quote | None = strawberry.field(resolver=sources_r.quote, description="A quote of the caller's account.")
    quotes: QuoteConnection = strawberry.field(resolver=sources_r.quotes_page)
    operation: Operation | None = strawberry.field(
        resolver=sources_r.operation, description="An operation the caller may use now (operators: any of theirs)."
    )
    operations: OperationConnection = strawberry.field(resolver=sources_r.operations_page)
    account_members: list[AccountMember] = strawberry.field(
        resolver=approvals_r.account_members,
        description="Buyers: the members of their account with their roles (docs/b2b.md).",
    )
    approval_rules: list[ApprovalRule] = strawberry.field(
        resolver=approvals_r.approval_rules, description="Buyers: their account's approval rules."
    )
    budgets: list[Budget] = strawberry.field(
        resolver=approvals_r.budgets,
        description="The budgets of the buyer's account (operators: of the account named by accountId) with what "
        "they spent and hold this period.",
    )
    requisition_lists: RequisitionListConnection = strawberry.field(
        resolver=purchasing_r.requisition_lists,
        description="Buyers: the requisition lists they see (their own and those shared in the account), most "
        "recently changed first.",
    )
    requisition_list: RequisitionList | None = strawberry.field(
        resolver=purchasing_r.requisition_list,
        description="Buyers: a requisition list they see (their own, or shared in the account), else null.",
    )
    webhook_subscriptions: list[WebhookSubscription] = strawberry.field(
        resolver=webhooks_r.webhook_subscriptions, description="Operators: the webhooks of their stores."
    )
    webhook_deliveries: WebhookDeliveryConnection = strawberry.field(
        resolver=webhooks_r.webhook_deliveries, description="Operators: a subscription's deliveries, newest first."
    )


@strawberry.type
class Mutation:
    create_token: CreateTokenPayload = strawberry.field(
        resolver=viewer_r.create_token, description="Sign in: an opaque bearer token for the user."
    )
    revoke_token: RevokeTokenPayload = strawberry.field(
        resolver=viewer_r.revoke_token, description="Revoke the given token, or the one of this request."
    )
    create_draft_order: DraftOrderPayload = strawberry.field(resolver=drafts_r.create_draft_order)
    create_draft_order_from_quote: DraftOrderPayload = strawberry.field(
        resolver=sources_r.create_draft_order_from_quote,
        description="A DRAFT_ON_HOLD draft at the quoted prices; lines that cannot be bought now are skipped "
        "(warnings). Starting it again returns the same live draft.",
    )
    create_draft_order_from_operation: DraftOrderPayload = strawberry.field(
        resolver=sources_r.create_draft_order_from_operation,
        description="A draft from an operation: with full, every visible line at its recommended quantity; else an "
        "empty draft linked to it.",
    )
    create_draft_order_from_order: DraftOrderPayload = strawberry.field(
        resolver=purchasing_r.create_draft_order_from_order,
        description="Reorder: a new draft with the lines of one of the account's orders (by id or reference), each "
        "at its quantity from the same offer, at today's prices; lines that cannot be bought now (out of the "
        "account's catalog, inactive, out of stock, quantity rules) are skipped with a warning naming the SKU "
        "(NO_LINES_AVAILABLE when none is left). The order's addresses come along while still in the address book.",
    )
    create_draft_order_from_requisition_list: DraftOrderPayload = strawberry.field(
        resolver=purchasing_r.create_draft_order_from_requisition_list,
        description="A new draft with the items of a requisition list the buyer sees, at today's prices; items "
        "that cannot be bought now are skipped with a warning naming the SKU (NO_LINES_AVAILABLE when none is "
        "left). The list is unchanged.",
    )
    update_draft_order: DraftOrderPayload = strawberry.field(
        resolver=drafts_r.update_draft_order, description="Addresses, references, notes and metadata."
    )
    add_draft_order_lines: DraftOrderPayload = strawberry.field(
        resolver=drafts_r.add_draft_order_lines,
        description="Add lines; the same offer merges into its line. Valid lines apply, each invalid one is an "
        "error with its input index.",
    )
    add_draft_order_lines_from_text: AddDraftOrderLinesFromTextPayload = strawberry.field(
        resolver=purchasing_r.add_draft_order_lines_from_text,
        description="Quick order: add pasted lines `SKU;quantity` (also `,`, tab or `|` as delimiter, CSV quoting, "
        "a header row, blank lines) to a draft, in one unit of work. Answers per line what was added or why not; "
        "the rest is added (nothing changes when no line can be). docs/b2b.md has the rules.",
    )
    update_draft_order_lines: DraftOrderPayload = strawberry.field(
        resolver=drafts_r.update_draft_order_lines, description="Set quantities; 0 removes the line."
    )
    remove_draft_order_lines: DraftOrderPayload = strawberry.field(resolver=drafts_r.remove_draft_order_lines)
    sync_draft_order: DraftOrderPayload = strawberry.field(
        resolver=drafts_r.sync_draft_order, description="Re-price with today's prices; changes come as warnings."
    )
    delete_draft_order: DeleteDraftOrderPayload = strawberry.field(resolver=drafts_r.delete_draft_order)
    apply_voucher: DraftOrderPayload = strawberry.field(
        resolver=promotions_r.apply_voucher,
        description="Apply a voucher (case-insensitive code) to an editable draft, the cart included; one per order.",
    )
    remove_voucher: DraftOrderPayload = strawberry.field(
        resolver=promotions_r.remove_voucher, description="Remove the draft's voucher."
    )
    create_order_from_cart: CreateOrderFromCartPayload = strawberry.field(
        resolver=promotions_r.create_order_from_cart_field,
        description="Turn the cart into a placed order (AWAITING_PAYMENT) with its prices, promotions, shipping and "
        "voucher frozen, in one transaction; CHECKOUT also starts the payment and answers nextStep.",
    )
    checkout_cart: CheckoutCartPayload = strawberry.field(
        resolver=checkout_r.checkout_cart,
        description="Check the cart out: every rule checked at once; a REDIRECT method answers RedirectPayment "
        "(order PAYMENT_PENDING until the provider's callback), a Stripe method ClientSecretPayment (confirmed with "
        "Stripe.js; PAYMENT_PENDING until Stripe's webhook), a DIRECT one DirectPayment (order PLACED).",
    )
    pay_order: PayOrderPayload = strawberry.field(
        resolver=checkout_r.pay_order,
        description="Pay a placed, unpaid order (AWAITING_PAYMENT or REFUSED) of the caller, by id or reference.",
    )
    cancel_payment: CancelPaymentPayload = strawberry.field(
        resolver=self_service_r.cancel_payment_field,
        description="Buyers: give up the redirect payment in progress of an order, by id or reference. The attempt "
        "ends as CANCELED, as a refusal would: an order waiting for its payment is the draft again (the cart, "
        "when it came from the cart), its stock released and vouchers given back; a placed order's payment is "
        "AWAITING_PAYMENT again. Canceling again answers the same state; the provider's later callback is "
        "refused (HTTP 409).",
    )
    update_profile: UpdateProfilePayload = strawberry.field(
        resolver=self_service_r.update_profile_field,
        description="Buyers: set their own first and last name; with both, the profile is completed (checkout "
        "answers PROFILE_INCOMPLETE until then).",
    )
    create_address: AddressPayload = strawberry.field(
        resolver=self_service_r.create_address,
        description="Buyers: add an address to the account's book (checkoutCart, updateDraftOrder take its id).",
    )
    update_address: AddressPayload = strawberry.field(
        resolver=self_service_r.update_address,
        description="Buyers: change an address of the account (by id or external id). Orders placed with it keep "
        "it as it was: the book then holds a replacement with a new id, which the account's drafts follow.",
    )
    delete_address: DeleteAddressPayload = strawberry.field(
        resolver=self_service_r.delete_address,
        description="Buyers: remove an address from the account's book and from checkout. Orders placed with it "
        "keep it; a draft that names it gets an address issue until another is set.",
    )
    set_default_address: AddressPayload = strawberry.field(
        resolver=self_service_r.set_default_address,
        description="Buyers: make the address the account's default (isDefault), the previous one no longer.",
    )
    place_draft_order: PlaceDraftOrderPayload = strawberry.field(
        resolver=drafts_r.place_draft_order,
        description="Re-validate, reserve stock, freeze prices, split per supplier. Idempotent.",
    )
    transition_logistic_order: LogisticOrderPayload = strawberry.field(
        resolver=orders_r.transition_logistic_order,
        description="Operators: move forward in the lifecycle. CANCELED and DECLINED_BY_SUPPLIER release its stock "
        "and settle its share of the order (refunded if captured, voided if authorized, else no longer due).",
    )
    set_logistic_order_incident: LogisticOrderPayload = strawberry.field(
        resolver=orders_r.set_logistic_order_incident, description="Operators: raise or clear the INCIDENT flag."
    )
    cancel_order: OrderPayload = strawberry.field(
        resolver=orders_r.cancel_order,
        description="Operators: cancel before shipment; stock goes back, a payment in progress ends with the order; "
        "captured money is refunded (every line and the shipping, as refundOrder would) and authorized money "
        "voided, in the same unit of work.",
    )
    refund_order: RefundOrderPayload = strawberry.field(
        resolver=refunds_r.refund_order,
        description="Operators: give captured money back, units of lines and/or the shipping (valued as "
        "refundProposal shows) or an amount alone; never more than captured, never more units than bought. "
        "PENDING until the provider's callback; idempotent by key.",
    )
    record_payment: OrderTransactionPayload = strawberry.field(
        resolver=ledger_r.record_payment,
        description="Operators: record money received outside a provider (a bank wire, cash on delivery), in part "
        "or in full: the order is PARTIALLY_PAID, then PAID when nothing is outstanding. Idempotent by key.",
    )
    capture_payment: OrderTransactionPayload = strawberry.field(
        resolver=ledger_r.capture_payment,
        description="Operators: capture part or all of what an approved MANUAL-capture payment holds (the rest "
        "stays authorized). Idempotent by key.",
    )
    create_shipment: CreateShipmentPayload = strawberry.field(
        resolver=shipping_r.create_shipment,
        description="Operators: record a shipment of a WAITING_SHIPMENT or PARTIALLY_SHIPPED logistic order (lines, "
        "units, carrier, tracking number); it becomes PARTIALLY_SHIPPED, or SHIPPED once every unit is shipped. "
        "Never more than ordered (SHIPMENT_EXCEEDS_ORDERED).",
    )
    create_return: CreateReturnPayload = strawberry.field(
        resolver=shipping_r.create_return,
        description="Operators: record shipped units of one logistic order that came back, each line back to stock "
        "or not. Never more than shipped (RETURN_EXCEEDS_SHIPPED). Refunds are separate.",
    )
    create_requisition_list: RequisitionListPayload = strawberry.field(
        resolver=purchasing_r.create_requisition_list,
        description="Buyers: a new requisition list of the account, private to them unless shared; its valid items "
        "are added, each refused one is an error with its index.",
    )
    rename_requisition_list: RequisitionListPayload = strawberry.field(
        resolver=purchasing_r.rename_requisition_list, description="Buyers: rename a list they made."
    )
    share_requisition_list: RequisitionListPayload = strawberry.field(
        resolver=purchasing_r.share_requisition_list,
        description="Buyers: share a list they made with every user of the account, or make it private again.",
    )
    delete_requisition_list: DeleteRequisitionListPayload = strawberry.field(
        resolver=purchasing_r.delete_requisition_list, description="Buyers: delete a list they made."
    )
    add_requisition_list_items: RequisitionListPayload = strawberry.field(
        resolver=purchasing_r.add_requisition_list_items,
        description="Buyers: add items by SKU to a list they made; a SKU the list holds adds to its quantity. Each "
        "item is checked on its own (valid ones apply, each refused one is an error with its index).",
    )
    update_requisition_list_items: RequisitionListPayload = strawberry.field(
        resolver=purchasing_r.update_requisition_list_items,
        description="Buyers: set the quantity of items a list they made holds, by SKU; 0 removes the item.",
    )
    remove_requisition_list_items: RequisitionListPayload = strawberry.field(
        resolver=purchasing_r.remove_requisition_list_items,
        description="Buyers: remove items by SKU from a list they made.",
    )
    request_approval: ApprovalPayload = strawberry.field(
        resolver=approvals_r.request_approval,
        description="Buyers: the supplier parts of a draft that need an approval wait for it (the draft is "
        "PENDING_APPROVAL: lines locked, priced, no stock held, its total reserved in its budgets); with placeRest "
        "the parts that need none are placed at once as their own order. docs/b2b.md.",
    )
    approve_draft_order: ApprovalPayload = strawberry.field(
        resolver=approvals_r.approve_draft_order,
        description="Approvers (never the requester): approve the named supplier parts (all waiting ones by "
        "default). A part approved in full is placed at once through the placement path, stock and budgets "
        "checked then.",
    )
    reject_draft_order: ApprovalPayload = strawberry.field(
        resolver=approvals_r.reject_draft_order,
        description="Approvers (never the requester): reject the named parts; once no part waits, the draft is "
        "a DRAFT again with the rejected parts.",
    )
    add_account_member: AccountMemberPayload = strawberry.field(
        resolver=approvals_r.add_account_member,
        description="Account ADMIN: a customer user of the tenant (by email) joins the account with a role.",
    )
    set_account_member_role: AccountMemberPayload = strawberry.field(
        resolver=approvals_r.set_account_member_role,
        description="Account ADMIN: a member's role and approval limit (the last ADMIN stays ADMIN).",
    )
    remove_account_member: RemoveAccountMemberPayload = strawberry.field(
        resolver=approvals_r.remove_account_member,
        description="Account ADMIN: a user leaves the account (the last ADMIN stays).",
    )
    create_approval_rule: ApprovalRulePayload = strawberry.field(
        resolver=approvals_r.create_approval_rule, description="Account ADMIN: a new approval rule."
    )
    delete_approval_rule: DeletedPayload = strawberry.field(
        resolver=approvals_r.delete_approval_rule,
        description="Account ADMIN: delete an approval rule (waiting approvals keep their course).",
    )
    set_budget: BudgetPayload = strawberry.field(
        resolver=approvals_r.set_budget,
        description="Account ADMIN or operator: create a budget or change its amount and mode (per cost centre and "
        "period).",
    )
    delete_budget: DeletedPayload = strawberry.field(
        resolver=approvals_r.delete_budget, description="Account ADMIN or operator: delete a budget."
    )
    set_account_payment_terms: PaymentTermsPayload = strawberry.field(
        resolver=approvals_r.set_account_payment_terms,
        description="Operators: an account's payment terms (null removes them).",
    )
    create_quote: QuotePayload = strawberry.field(resolver=sources_r.create_quote)
    update_quote_lines: QuotePayload = strawberry.field(resolver=sources_r.update_quote_lines)
    send_quote: QuotePayload = strawberry.field(resolver=sources_r.send_quote, description="To WAITING_FOR_CUSTOMER.")
    decline_quote: QuotePayload = strawberry.field(resolver=sources_r.decline_quote)
    create_operation: OperationPayload = strawberry.field(resolver=sources_r.create_operation)
    update_operation: OperationPayload = strawberry.field(
        resolver=sources_r.update_operation, description="Lines and accounts only in DRAFT or INACTIVE."
    )
    set_operation_status: OperationPayload = strawberry.field(resolver=sources_r.set_operation_status)
    delete_operation: DeleteOperationPayload = strawberry.field(resolver=sources_r.delete_operation)
    create_webhook_subscription: WebhookSubscriptionPayload = strawberry.field(
        resolver=webhooks_r.create_webhook_subscription,
        description="Operators: a webhook for the current store (dj-store); the answer shows its secret once.",
    )
    update_webhook_subscription: WebhookSubscriptionPayload = strawberry.field(
        resolver=webhooks_r.update_webhook_subscription
    )
    delete_webhook_subscription: DeleteWebhookSubscriptionPayload = strawberry.field(
        resolver=webhooks_r.delete_webhook_subscription
    )
