"""The rules of placement, payment start and cancellation, called directly: pure functions without a
database, the services on a real database session (both engines), no HTTP but for setting up a draft."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from app.models import LogisticOrder, Offer, Order, Payment, User, Voucher
from app.services.checkout.cancellation import cancel_order
from app.services.checkout.placement import PaymentRequest, blocking_problems, payability_problem, place
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.payments.config import PaymentConfig
from app.services.rules.payment_states import Purpose
from tests.support.documents import ready_draft
from tests.support.gateway import Gateway
from tests.support.ports import free_port
from tests.support.users import gateway_caller

APPLY = """mutation($id: ID!, $code: String!) { applyVoucher(draftOrderId: $id, code: $code) { errors { code } } }"""


def _config(sandbox_url: str) -> PaymentConfig:
    return PaymentConfig(
        sandbox_url=sandbox_url,
        sandbox_secret="s",
        provider_timeout=2,
        pending_for=timedelta(minutes=15),
        public_url="http://gateway.test",
    )


# ---- pure rules -------------------------------------------------------------------------------------


def _ev(lines: int, *codes: ErrorCode) -> SimpleNamespace:
    return SimpleNamespace(lines=[object()] * lines, blocking=[Problem(c, c.value) for c in codes])


def test_a_carts_problems_are_named_for_the_cart() -> None:
    ev = _ev(0, ErrorCode.ORDER_EMPTY, ErrorCode.SHIPPING_ADDRESS_REQUIRED, ErrorCode.SHIPPING_METHOD_UNAVAILABLE)
    problems = blocking_problems(ev, Purpose.CART)  # type: ignore[arg-type]
    assert [(p.code, p.field) for p in problems] == [
        (ErrorCode.CART_EMPTY, None),
        (ErrorCode.SHIPPING_METHOD_UNAVAILABLE, ("input", "shippingMethodId")),
    ]
    # a draft's problems are its evaluation's, unchanged
    assert [p.code for p in blocking_problems(ev, Purpose.DRAFT)] == [  # type: ignore[arg-type]
        ErrorCode.ORDER_EMPTY,
        ErrorCode.SHIPPING_ADDRESS_REQUIRED,
        ErrorCode.SHIPPING_METHOD_UNAVAILABLE,
    ]


@pytest.mark.parametrize(
    ("status", "payment", "code"),
    [
        ("PLACED", "AWAITING_PAYMENT", None),
        ("PLACED", "REFUSED", None),
        ("PLACED", "PAID", ErrorCode.ORDER_ALREADY_PAID),
        ("CANCELED", "REFUNDED", ErrorCode.ORDER_ALREADY_PAID),
        ("PLACED", "AUTHORIZATION_PENDING", ErrorCode.ORDER_NOT_PAYABLE),
        ("PAYMENT_PENDING", "AUTHORIZATION_PENDING", ErrorCode.ORDER_NOT_PAYABLE),
        ("CANCELED", "AWAITING_PAYMENT", ErrorCode.ORDER_NOT_PAYABLE),
        ("DRAFT", "NOT_REQUIRED", ErrorCode.ORDER_NOT_PAYABLE),
    ],
)
def test_which_orders_may_get_a_new_payment_attempt(status: str, payment: str, code: ErrorCode | None) -> None:
    problem = payability_problem(SimpleNamespace(status=status, payment_status=payment, reference="R"))  # type: ignore[arg-type]
    assert (problem.code if problem else None) == code


# ---- services on a database session ------------------------------------------------------------------


async def _stock(session, offer_id: str) -> int:  # noqa: ANN001
    return await session.scalar(select(Offer.stock).where(Offer.id == offer_id))


async def test_place_refuses_an_incomplete_profile_before_anything_is_taken(
    gw: Gateway, acme: dict, offers: dict, acme_caller: Caller
) -> None:
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
    async with gw.session_factory() as session, session.begin():
        await session.execute(update(User).where(User.id == acme_caller.user_id).values(profile_completed=False))
        before = await _stock(session, offers["NOTEBOOK"])
        order = await session.get(Order, draft["id"])
        outcome = await place(session, acme_caller, order, PaymentRequest(), purpose=Purpose.DRAFT, config=None)
        assert not outcome.commit and [p.code for p in outcome.errors] == [ErrorCode.PROFILE_INCOMPLETE]
        assert await _stock(session, offers["NOTEBOOK"]) == before and order.status == "DRAFT"


async def test_place_with_a_direct_method_places_and_records_the_attempt(
    gw: Gateway, acme: dict, offers: dict, acme_caller: Caller
) -> None:
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
    async with gw.session_factory() as session, session.begin():
        before = await _stock(session, offers["NOTEBOOK"])
        order = await session.get(Order, draft["id"])
        request = PaymentRequest(payment_method_id="bank-wire")
        outcome = await place(
            session, acme_caller, order, request, purpose=Purpose.DRAFT, config=_config("http://unused")
        )
        assert outcome.commit and outcome.errors == []
        assert (order.status, order.payment_status, order.is_cart) == ("PLACED", "AWAITING_PAYMENT", False)
        assert await _stock(session, offers["NOTEBOOK"]) == before - 10
        assert await session.scalar(select(func.count()).where(LogisticOrder.order_id == order.id)) == 1
        attempt = await session.scalar(select(Payment).where(Payment.order_id == order.id))
        assert (attempt.status, attempt.next_step, attempt.amount) == ("PENDING", None, order.total_amount)


async def test_place_refuses_a_payment_method_that_does_not_support_the_content(
    gw: Gateway, acme: dict, offers: dict, acme_caller: Caller
) -> None:
    draft = await ready_draft(gw, acme, offers, "CHAIR-ERGO", 5)  # over pay-on-delivery's 1,000.00 cap
    async with gw.session_factory() as session, session.begin():
        order = await session.get(Order, draft["id"])
        request = PaymentRequest(payment_method_id="pay-on-delivery")
        outcome = await place(session, acme_caller, order, request, purpose=Purpose.DRAFT, config=_config("http://x"))
        assert not outcome.commit
        assert [(p.code, p.field) for p in outcome.errors] == [
            (ErrorCode.PAYMENT_METHOD_UNAVAILABLE, ("input", "paymentMethodId"))
        ]


async def test_a_provider_that_cannot_start_refuses_the_whole_placement(
    gw: Gateway, acme: dict, offers: dict, acme_caller: Caller
) -> None:
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
    closed = _config(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    async with gw.session_factory() as session:
        async with session.begin():
            order = await session.get(Order, draft["id"])
            with pytest.raises(Refusal) as refused:
                request = PaymentRequest(payment_method_id="card-redirect")
                await place(session, acme_caller, order, request, purpose=Purpose.DRAFT, config=closed)
            assert [p.code for p in refused.value.problems] == [ErrorCode.PAYMENT_SERVICE_UNAVAILABLE]
            await session.rollback()  # what the unit of work does with a refusal
        assert await session.scalar(select(Order.status).where(Order.id == draft["id"])) == "DRAFT"
        assert await session.scalar(select(func.count()).where(Payment.order_id == draft["id"])) == 0


async def test_cancellation_gives_back_stock_and_the_voucher_once(
    gw: Gateway, acme: dict, offers: dict, acme_caller: Caller
) -> None:
    operator = await gateway_caller(gw, "operator@demo.example", client="OPERATOR")
    draft = await ready_draft(gw, acme, offers, "NOTEBOOK", 10)
    assert (await gw.data(APPLY, {"id": draft["id"], "code": "LIMITED2"}, acme))["applyVoucher"]["errors"] == []
    async with gw.session_factory() as session, session.begin():
        before = await _stock(session, offers["NOTEBOOK"])
        order = await session.get(Order, draft["id"])
        assert (await place(session, acme_caller, order, PaymentRequest(), purpose=Purpose.DRAFT, config=None)).commit
        assert await session.scalar(select(Voucher.used_count).where(Voucher.code == "LIMITED2")) == 1
    async with gw.session_factory() as session, session.begin():
        outcome = await cancel_order(session, operator, draft["id"], "customer request", payment=_config("http://x"))
        assert outcome.commit and outcome.value.status == "CANCELED"
        assert await _stock(session, offers["NOTEBOOK"]) == before
        assert await session.scalar(select(Voucher.used_count).where(Voucher.code == "LIMITED2")) == 0
        statuses = await session.scalars(select(LogisticOrder.status).where(LogisticOrder.order_id == draft["id"]))
        assert set(statuses) == {"CANCELED"}
    async with gw.session_factory() as session, session.begin():
        again = await cancel_order(session, operator, draft["id"], None, payment=_config("http://x"))
        assert not again.commit and [p.code for p in again.errors] == [ErrorCode.ORDER_NOT_CANCELABLE]
        assert await _stock(session, offers["NOTEBOOK"]) == before  # nothing given back twice
