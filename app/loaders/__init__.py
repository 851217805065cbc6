"""Per-request dataloaders. Each batch function runs a fixed number of statements for any number of keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from aiodataloader import DataLoader

from app.services.access import viewer
from app.services.approvals import flow as approvals
from app.services.catalog import offers, prices, products
from app.services.orders import reads as orders_read
from app.services.payments import ledger, refunds
from app.services.requisitions import lists as requisition_lists
from app.services.shipping import reads as shipping_read
from app.services.sources import operations, quotes

if TYPE_CHECKING:
    from app.context import RequestContext

BatchFn = Callable[[Any, Sequence[Any]], Awaitable[dict]]


def make_loader(ctx: RequestContext, fn: BatchFn, default: Callable[[], Any] = lambda: None) -> DataLoader:
    async def batch(keys: Sequence[Any]) -> list[Any]:
        async with ctx.read() as session:
            found = await fn(session, list(keys))
        return [found[k] if k in found else default() for k in keys]

    return DataLoader(batch)


class Loaders:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx

    @cached_property
    def variants_by_product(self) -> DataLoader:
        buyer = self.ctx.caller.is_buyer
        return make_loader(
            self.ctx, lambda s, ids: products.variants_by_product(s, ids, active_only=buyer), default=list
        )

    @cached_property
    def offers_by_variant(self) -> DataLoader:
        caller = self.ctx.caller
        return make_loader(self.ctx, lambda s, ids: products.offers_by_variant(s, caller, ids), default=list)

    @cached_property
    def approvals_by_order(self) -> DataLoader:
        return make_loader(self.ctx, approvals.approvals_by_order, default=list)

    @cached_property
    def balance_by_order(self) -> DataLoader:
        return make_loader(self.ctx, ledger.balances)

    @cached_property
    def transactions_by_order(self) -> DataLoader:
        return make_loader(self.ctx, ledger.transactions, default=list)

    @cached_property
    def refund_lines_by_transaction(self) -> DataLoader:
        return make_loader(self.ctx, refunds.refund_lines, default=list)

    @cached_property
    def supplier(self) -> DataLoader:
        return make_loader(self.ctx, products.suppliers_by_id)

    @cached_property
    def price(self) -> DataLoader:
        caller = self.ctx.caller
        return make_loader(self.ctx, lambda s, ids: prices.resolve_prices(s, caller, ids))

    @cached_property
    def offer_info(self) -> DataLoader:
        caller = self.ctx.caller
        return make_loader(self.ctx, lambda s, ids: offers.offer_infos(s, caller, ids))

    @cached_property
    def addresses_by_account(self) -> DataLoader:
        caller = self.ctx.caller
        return make_loader(self.ctx, lambda s, ids: viewer.addresses_by_account(s, caller, ids), default=list)

    @cached_property
    def accounts_by_user(self) -> DataLoader:
        return make_loader(self.ctx, viewer.accounts_by_user, default=list)

    @cached_property
    def evaluation(self) -> DataLoader:
        caller = self.ctx.caller
        return make_loader(self.ctx, lambda s, ids: orders_read.evaluations(s, caller, ids))

    @cached_property
    def lines_by_order(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.lines_by_order, default=list)

    @cached_property
    def lines_by_logistic_order(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.lines_by_logistic_order, default=list)

    @cached_property
    def logistic_by_order(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.logistic_by_order, default=list)

    @cached_property
    def events_by_order(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.events_by_order, default=list)

    @cached_property
    def metadata_by_order(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.metadata_by_order, default=list)

    @cached_property
    def address(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.addresses_by_id)

    @cached_property
    def variant(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.variants_by_id)

    @cached_property
    def offer(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.offers_by_id)

    @cached_property
    def quote_lines(self) -> DataLoader:
        return make_loader(self.ctx, quotes.quote_lines, default=list)

    @cached_property
    def requisition_list_items(self) -> DataLoader:
        return make_loader(self.ctx, requisition_lists.items_by_list, default=list)

    @cached_property
    def operation_lines(self) -> DataLoader:
        caller = self.ctx.caller
        return make_loader(self.ctx, lambda s, ids: operations.operation_lines(s, caller, ids), default=list)

    @cached_property
    def payments_by_order(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.payments_by_order, default=list)

    @cached_property
    def payment_method(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.payment_methods_by_id)

    @cached_property
    def shipping_method(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.shipping_methods_by_id)

    @cached_property
    def voucher(self) -> DataLoader:
        return make_loader(self.ctx, orders_read.vouchers_by_id)

    @cached_property
    def shipments_by_order(self) -> DataLoader:
        return make_loader(self.ctx, shipping_read.shipments_by_order, default=list)

    @cached_property
    def shipments_by_logistic_order(self) -> DataLoader:
        return make_loader(self.ctx, shipping_read.shipments_by_logistic_order, default=list)

    @cached_property
    def returns_by_order(self) -> DataLoader:
        return make_loader(self.ctx, shipping_read.returns_by_order, default=list)

    @cached_property
    def line_progress(self) -> DataLoader:
        return make_loader(self.ctx, shipping_read.progress_by_line, default=shipping_read.LineProgress)
