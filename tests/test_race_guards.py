"""The last line of defence under concurrency, called directly on a real database session (both engines).

Over HTTP on SQLite these guards never run: SQLite serializes writers, so the earlier checks (the evaluation's
stock and voucher checks) always refuse first. Here the row is exhausted *after* the evaluation, as a
concurrent transaction that committed in between would leave it, and the guard alone must refuse: the
conditional UPDATE of the stock reservation (`stock >= quantity`), the voucher redemption (`used_count <
limit`), the promotion budget (`discount_used + amount <= max`), and a signed callback's age (also from
the future)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.models import Offer, Order, Payment, Promotion, PromotionUsage, Voucher, utcnow
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Refusal
from app.services.orders import stock
from app.services.orders.redemption import redeem
from app.services.payments.callbacks import MAX_AGE_SECONDS, handle_callback
from app.services.payments.providers import CallbackEvent
from app.services.pricing.evaluation import Evaluation, evaluate
from tests.support.documents import offer_ids, ready_draft
from tests.support.gateway import Gateway
from tests.support.payments import PAY, served

APPLY = """mutation($id: ID!, $code: String!) { applyVoucher(draftOrderId: $id, code: $code) {
  draftOrder { voucher { code discount { amount } } } errors { code } } }"""


async def _evaluation(session, caller: Caller, order_id: str) -> Evaluation:  # noqa: ANN001
    order = await session.get(Order, order_id)
    return (await evaluate(session, caller, [order]))[order_id]


async def test_stock_reservation_refuses_an_offer_emptied_after_the_evaluation(
    gw: Gateway, acme: dict, offers: dict, acme_caller: Caller
) -> None:
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
    async with gw.session_factory() as session, session.begin():
        ev = await _evaluation(session, acme_caller, draft["id"])
        assert not ev.blocking  # enough stock when evaluated
        # a concurrent placement took the stock meanwhile
        await session.execute(update(Offer).where(Offer.id == offers["NOTEBOOK"]).values(stock=9))
        with pytest.raises(Refusal) as refused:
            await stock.reserve(session, ev.lines)
        assert [p.code for p in refused.value.problems] == [ErrorCode.INSUFFICIENT_STOCK]
        assert await session.scalar(select(Offer.stock).where(Offer.id == offers["NOTEBOOK"])) == 9
        # exactly enough left: reserved down to zero, never below
        await session.execute(update(Offer).where(Offer.id == offers["NOTEBOOK"]).values(stock=10))
        await stock.reserve(session, ev.lines)
        assert await session.scalar(select(Offer.stock).where(Offer.id == offers["NOTEBOOK"])) == 0


async def test_voucher_redemption_refuses_a_voucher_used_up_after_the_evaluation(
    gw: Gateway, acme: dict, offers: dict, acme_caller: Caller
) -> None:
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
    applied = (await gw.data(APPLY, {"id": draft["id"], "code": "LIMITED2"}, acme))["applyVoucher"]
    assert applied["errors"] == [] and applied["draftOrder"]["voucher"]["code"] == "LIMITED2"
    async with gw.session_factory() as session, session.begin():
        ev = await _evaluation(session, acme_caller, draft["id"])
        assert ev.voucher is not None and ev.voucher_discount > 0
        limited = Voucher.code == "LIMITED2"
        await session.execute(update(Voucher).where(limited).values(used_count=2))  # both uses taken meanwhile
        with pytest.raises(Refusal) as refused:
            await redeem(session, ev)
        assert [p.code for p in refused.value.problems] == [ErrorCode.VOUCHER_USAGE_LIMIT]
        assert await session.scalar(select(Voucher.used_count).where(limited)) == 2
    async with gw.session_factory() as session, session.begin():
        await session.execute(update(Voucher).where(Voucher.code == "LIMITED2").values(used_count=1))
        ev = await _evaluation(session, acme_caller, draft["id"])
        await redeem(session, ev)  # the last use
        assert await session.scalar(select(Voucher.used_count).where(Voucher.code == "LIMITED2")) == 2


async def test_promotion_budget_refuses_a_draw_past_its_maximum(
    gw: Gateway, acme: dict, offers: dict, acme_caller: Caller
) -> None:
    draft = await ready_draft(gw, acme, offers, "PEN-BLUE", 100)
    async with gw.session_factory() as session, session.begin():
        ev = await _evaluation(session, acme_caller, draft["id"])
        drawn = sum(pl.amounts.discount for pl in ev.lines if pl.amounts.promotion == "PENS-10")
        assert drawn > 0
        pens = Promotion.code == "PENS-10"
        # another order drew the budget down meanwhile: one cent less than this order needs is left
        await session.execute(update(Promotion).where(pens).values(max_discount_total=1000, discount_used=1001 - drawn))
        with pytest.raises(Refusal) as refused:
            await redeem(session, ev)
        assert [p.code for p in refused.value.problems] == [ErrorCode.PROMOTION_EXHAUSTED]
        assert await session.scalar(select(Promotion.discount_used).where(pens)) == 1001 - drawn
        # exactly enough left: drawn to the maximum, with the order's usage recorded for a give-back
        await session.execute(update(Promotion).where(pens).values(discount_used=1000 - drawn))
        await redeem(session, ev)
        await session.flush()
        assert await session.scalar(select(Promotion.discount_used).where(pens)) == 1000
        usage = await session.scalar(select(PromotionUsage.amount).where(PromotionUsage.order_id == draft["id"]))
        assert usage == drawn


async def test_a_signed_callback_from_the_future_is_refused(database_url: str) -> None:
    async with served(database_url) as gw:
        acme = await gw.as_user("buyer@acme.example")
        offers = await offer_ids(gw, acme)
        draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
        placed = await gw.data(
            "mutation($id: ID!) { placeDraftOrder(id: $id) { order { reference } errors { code } } }",
            {"id": draft["id"]},
            acme,
        )
        key = placed["placeDraftOrder"]["order"]["reference"]
        paying = (await gw.data(PAY, {"key": key, "method": "card-redirect"}, acme))["payOrder"]
        assert paying["errors"] == []
        async with gw.session_factory() as session:
            payment = await session.scalar(select(Payment).where(Payment.order_id == draft["id"]))
        now = utcnow()

        def event(at: float) -> CallbackEvent:
            return CallbackEvent(payment.id, key, "APPROVED", payment.amount, payment.currency, int(at))

        for skew in (MAX_AGE_SECONDS + 60, 24 * 3600, -(MAX_AGE_SECONDS + 60)):  # from the future, and too old
            async with gw.session_factory() as session, session.begin():
                outcome = await handle_callback(session, event(now.timestamp() + skew), provider="sandbox", now=now)
                assert outcome.value is not None and outcome.value.http_status == 400, skew
                assert await session.scalar(select(Payment.status).where(Payment.id == payment.id)) == "PENDING"
        # within the allowed clock skew (a provider's clock a minute ahead): processed
        async with gw.session_factory() as session, session.begin():
            outcome = await handle_callback(
                session, event((now + timedelta(seconds=60)).timestamp()), provider="sandbox", now=now
            )
            assert outcome.value is not None and outcome.value.http_status == 200
        async with gw.session_factory() as session:
            assert await session.scalar(select(Order.payment_status).where(Order.id == draft["id"])) == "PAID"
