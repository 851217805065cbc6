"""The service-level fixtures (`db_session`, `caller_for`): a service called without HTTP sees the same caller
the gateway resolves over HTTP, on both databases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Account, Offer, Order, OrderLine, Store
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode
from app.services.orders.draft_lines import LineRequest
from app.services.orders.drafts import create_draft

CallerFor = Callable[..., Awaitable[Caller]]


async def test_callers_of_a_buyer_and_an_operator(db_session: AsyncSession, caller_for: CallerFor) -> None:
    acme = await db_session.scalar(select(Account.id).where(Account.external_id == "ACME"))
    buyer = await caller_for("buyer@acme.example")
    assert (buyer.client, buyer.account_id, buyer.user_email) == ("ACCOUNT", acme, "buyer@acme.example")
    assert not buyer.is_operator and buyer.token_id is not None and buyer.currency == "EUR"
    store = await db_session.get(Store, buyer.store_id)
    assert store is not None and store.tenant_id == buyer.tenant_id
    operator = await caller_for("operator@demo.example", client="OPERATOR")
    assert operator.is_operator and operator.account_id is None
    assert operator.store_id in operator.operator_store_ids and operator.tenant_id == buyer.tenant_id


async def test_a_draft_created_by_the_service(db_session: AsyncSession, caller_for: CallerFor) -> None:
    buyer = await caller_for("buyer@acme.example")
    notebook = await db_session.scalar(select(Offer.id).where(Offer.external_id == "OFF-NOTEBOOK"))
    outcome = await create_draft(db_session, buyer, None, [LineRequest(notebook, None, 4), LineRequest(None, None, 1)])
    assert outcome.commit and outcome.value is not None
    # The line that names neither an offer nor a variant is refused by its index; the other one is added.
    assert [(e.code, e.index) for e in outcome.errors] == [(ErrorCode.INVALID_INPUT, 1)]
    await db_session.commit()
    draft = await db_session.get(Order, outcome.value.id)
    assert (draft.account_id, draft.status, draft.store_id) == (buyer.account_id, "DRAFT", buyer.store_id)
    lines = (await db_session.scalars(select(OrderLine).where(OrderLine.order_id == draft.id))).all()
    assert [(line.offer_id, line.quantity) for line in lines] == [(notebook, 4)]
    assert draft.total_amount == 1440  # 4 x 3.00 EUR + 20 % tax, in cents
