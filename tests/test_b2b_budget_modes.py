"""Budget modes and when refunds give back to budgets (issue 28, scope 3; docs/b2b.md), over HTTP on the demo
data, SQLite and PostgreSQL: a BLOCK budget refuses as before; a REQUIRE_APPROVAL budget makes an over-budget
draft need an approval whose placement spends beyond the limit (recorded), a rejection gives back only the
reservation; a refund gives back to the budgets when it succeeds (the provider's callback), once, and a failed
one gives back nothing."""

from __future__ import annotations

from decimal import Decimal

from app.services.importer import import_data
from tests.support.documents import PLACE, create_draft, offer_ids
from tests.support.gateway import Gateway
from tests.support.payments import cart_with, checkout, decide, served
from tests.support.refunds import REFUND, REFUND_CALLBACK, money, refund_callback

BUDGETS = (
    "{ budgets { id costCentre mode amount { amount } spent { amount } reserved { amount } available { amount } } }"
)
SET_BUDGET = """mutation($input: BudgetInput!) { setBudget(input: $input) {
  budget { id costCentre mode amount { amount } } errors { code message field } } }"""
DRAFT_Q = """query($id: ID!) { draftOrder(id: $id) { id status total { amount } issues { code message blocking }
  approvals { status overBudget tiersNeeded } } }"""
ORDER_Q = """query($id: ID!) { order(id: $id) { id status total { amount } events { type actor detail }
  approvals { status overBudget decidedBy } } }"""
PAYLOAD = """order { ... on Order { id status } ... on DraftOrder { id status approvals { status overBudget } } }
  placedOrders { id status } errors { code message }"""
REQUEST = f"mutation($id: ID!) {{ requestApproval(draftOrderId: $id) {{ {PAYLOAD} }} }}"
APPROVE = f"mutation($id: ID!) {{ approveDraftOrder(id: $id) {{ {PAYLOAD} }} }}"
REJECT = f'mutation($id: ID!) {{ rejectDraftOrder(id: $id, comment: "not now") {{ {PAYLOAD} }} }}'
SET_LIMIT = """mutation($limit: String) { setAccountMemberRole(userId: "approver@acme.example", role: APPROVER,
  approvalLimit: $limit) { errors { code } } }"""
COST_CENTRE = """mutation($id: ID!) { updateDraftOrder(id: $id, input: {costCentre: "MARKETING"}) {
  errors { code } } }"""


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def _marketing(gw: Gateway, headers: dict) -> dict:
    (b,) = [b for b in (await gw.data(BUDGETS, headers=headers))["budgets"] if b["costCentre"] == "MARKETING"]
    return b


def _usage(b: dict) -> tuple[Decimal, Decimal]:
    return Decimal(b["spent"]["amount"]), Decimal(b["reserved"]["amount"])


async def _set(gw: Gateway, headers: dict, **budget: str) -> dict:
    payload = await gw.data(SET_BUDGET, {"input": {"costCentre": "MARKETING", "period": "MONTH", **budget}}, headers)
    assert payload["setBudget"]["errors"] == [], payload
    return payload["setBudget"]["budget"]


async def _draft(gw: Gateway, headers: dict, offers: dict, lines: dict[str, int]) -> dict:
    payload = await create_draft(
        gw,
        headers,
        [{"offerId": offers[sku], "quantity": q} for sku, q in lines.items()],
        shippingAddressId="ACME-HQ",
        billingAddressId="ACME-HQ",
        costCentre="MARKETING",
    )
    assert payload["errors"] == [], payload
    return (await gw.data(DRAFT_Q, {"id": payload["draftOrder"]["id"]}, headers))["draftOrder"]


def _issues(draft: dict) -> dict[str, bool]:
    return {i["code"]: i["blocking"] for i in draft["issues"]}


async def test_a_block_budget_refuses_an_over_budget_draft_as_before(gw: Gateway, acme: dict) -> None:
    buyer2 = await gw.as_user("buyer2@acme.example")
    offers = await offer_ids(gw, acme)
    assert (await _marketing(gw, acme))["mode"] == "BLOCK"  # the demo budget, and every budget by default
    assert (await _set(gw, acme, amount="1.00"))["mode"] == "BLOCK"  # an amount changed, the mode kept
    draft = await _draft(gw, buyer2, offers, {"NOTEBOOK": 2})
    assert _issues(draft) == {"BUDGET_EXCEEDED": True}
    assert codes((await gw.data(PLACE, {"id": draft["id"]}, buyer2))["placeDraftOrder"]) == ["BUDGET_EXCEEDED"]
    asked = (await gw.data(REQUEST, {"id": draft["id"]}, buyer2))["requestApproval"]
    assert set(codes(asked)) == {"APPROVAL_NOT_REQUIRED", "BUDGET_EXCEEDED"}
    assert _usage(await _marketing(gw, acme)) == (Decimal("0.00"), Decimal("0.00"))


async def test_the_import_format_sets_a_budget_s_mode_and_keeps_it_when_left_out(gw: Gateway, acme: dict) -> None:
    async def imported(budget: dict) -> None:
        account = {"externalId": "ACME", "name": "ACME Corporation", "budgets": [budget]}
        async with gw.session_factory() as s, s.begin():
            await import_data(s, {"tenants": [{"externalId": "demo", "accounts": [account]}]})

    await imported({"costCentre": "MARKETING", "period": "MONTH", "amount": "10.00", "mode": "REQUIRE_APPROVAL"})
    assert (await _marketing(gw, acme))["mode"] == "REQUIRE_APPROVAL"
    await imported({"costCentre": "MARKETING", "period": "MONTH", "amount": "20.00"})
    marketing = await _marketing(gw, acme)
    assert (marketing["mode"], marketing["amount"]["amount"]) == ("REQUIRE_APPROVAL", "20.00")
    await imported({"costCentre": "IT", "period": "YEAR", "amount": "20.00"})
    (it,) = [b for b in (await gw.data(BUDGETS, headers=acme))["budgets"] if b["costCentre"] == "IT"]
    assert it["mode"] == "BLOCK"


async def test_a_require_approval_budget_is_overridden_by_an_approval_and_counted(gw: Gateway, acme: dict) -> None:
    buyer2 = await gw.as_user("buyer2@acme.example")
    approver = await gw.as_user("approver@acme.example")
    operator = await gw.as_user("operator@demo.example", client="OPERATOR")
    offers = await offer_ids(gw, acme)
    # an operator sets the mode; within the budget a draft places at once, no approval asked
    set_by_operator = await _set(gw, operator, accountId="ACME", amount="5000.00", mode="REQUIRE_APPROVAL")
    assert set_by_operator["mode"] == "REQUIRE_APPROVAL"
    small = await _draft(gw, buyer2, offers, {"NOTEBOOK": 1})
    assert _issues(small) == {}
    assert (await gw.data(PLACE, {"id": small["id"]}, buyer2))["placeDraftOrder"]["errors"] == []
    spent = Decimal(small["total"]["amount"])
    # the account ADMIN lowers the amount below what is spent: the mode stays
    assert (await _set(gw, acme, amount="1.00"))["mode"] == "REQUIRE_APPROVAL"

    draft = await _draft(gw, buyer2, offers, {"NOTEBOOK": 3})
    total = Decimal(draft["total"]["amount"])
    assert _issues(draft) == {"BUDGET_EXCEEDED": False, "APPROVAL_REQUIRED": True}
    (need,) = [i for i in draft["issues"] if i["code"] == "APPROVAL_REQUIRED"]
    assert "over budget" in need["message"] and "APPROVER" in need["message"]
    assert codes((await gw.data(PLACE, {"id": draft["id"]}, buyer2))["placeDraftOrder"]) == ["APPROVAL_REQUIRED"]

    asked = (await gw.data(REQUEST, {"id": draft["id"]}, buyer2))["requestApproval"]
    assert asked["errors"] == [] and asked["order"]["status"] == "PENDING_APPROVAL"
    assert asked["order"]["approvals"] == [{"status": "PENDING", "overBudget": True}]
    budget = await _marketing(gw, acme)
    assert _usage(budget) == (spent, total)  # reserved beyond the limit: the request is about that
    assert Decimal(budget["available"]["amount"]) == Decimal("1.00") - spent - total

    # the approver's own limit holds as for rules
    assert (await gw.data(SET_LIMIT, {"limit": "1.00"}, acme))["setAccountMemberRole"]["errors"] == []
    limited = (await gw.data(APPROVE, {"id": draft["id"]}, approver))["approveDraftOrder"]
    assert codes(limited) == ["APPROVAL_NOT_ALLOWED"] and "limit" in limited["errors"][0]["message"]
    assert (await gw.data(SET_LIMIT, {"limit": None}, acme))["setAccountMemberRole"]["errors"] == []

    approved = (await gw.data(APPROVE, {"id": draft["id"]}, approver))["approveDraftOrder"]
    assert approved["errors"] == [] and approved["order"] == {"id": draft["id"], "status": "PLACED"}
    assert _usage(await _marketing(gw, acme)) == (spent + total, Decimal("0.00"))  # spent beyond the limit
    order = (await gw.data(ORDER_Q, {"id": draft["id"]}, buyer2))["order"]
    assert order["approvals"] == [{"status": "APPROVED", "overBudget": True, "decidedBy": "approver@acme.example"}]
    (override,) = [e for e in order["events"] if e["type"] == "BUDGET_OVERRIDDEN"]
    assert override["actor"] == "approver@acme.example" and "MARKETING" in override["detail"]
    assert f"{spent + total - Decimal('1.00'):.2f} over its limit" in override["detail"]

    # later drafts see what the approved order spent: even with the limit raised by its total, one over it
    assert (await _set(gw, acme, amount=f"{spent + total:.2f}"))["mode"] == "REQUIRE_APPROVAL"
    later = await _draft(gw, buyer2, offers, {"NOTEBOOK": 1})
    assert _issues(later) == {"BUDGET_EXCEEDED": False, "APPROVAL_REQUIRED": True}


async def test_the_requester_never_approves_and_a_rejection_gives_back_only_the_reservation(
    gw: Gateway, acme: dict
) -> None:
    approver = await gw.as_user("approver@acme.example")
    offers = await offer_ids(gw, acme)
    await _set(gw, acme, amount="5000.00", mode="REQUIRE_APPROVAL")
    first = await _draft(gw, acme, offers, {"NOTEBOOK": 1})
    assert (await gw.data(PLACE, {"id": first["id"]}, acme))["placeDraftOrder"]["errors"] == []
    spent = Decimal(first["total"]["amount"])
    await _set(gw, acme, amount=f"{spent:.2f}")  # spent in full: any more is over it

    draft = await _draft(gw, acme, offers, {"NOTEBOOK": 2})  # the ADMIN's own: no rule, only the budget
    assert _issues(draft) == {"BUDGET_EXCEEDED": False, "APPROVAL_REQUIRED": True}
    asked = (await gw.data(REQUEST, {"id": draft["id"]}, acme))["requestApproval"]
    assert asked["errors"] == [] and asked["order"]["status"] == "PENDING_APPROVAL"
    assert _usage(await _marketing(gw, acme)) == (spent, Decimal(draft["total"]["amount"]))
    own = (await gw.data(APPROVE, {"id": draft["id"]}, acme))["approveDraftOrder"]
    assert codes(own) == ["APPROVAL_NOT_ALLOWED"] and "you asked" in own["errors"][0]["message"]

    rejected = (await gw.data(REJECT, {"id": draft["id"]}, approver))["rejectDraftOrder"]
    assert rejected["errors"] == [] and rejected["placedOrders"] == []
    assert rejected["order"]["status"] == "DRAFT"
    assert _usage(await _marketing(gw, acme)) == (spent, Decimal("0.00"))  # what was spent stays spent
    again = (await gw.data(DRAFT_Q, {"id": draft["id"]}, acme))["draftOrder"]
    assert _issues(again) == {"BUDGET_EXCEEDED": False, "APPROVAL_REQUIRED": True}


async def test_a_refund_gives_back_to_the_budget_when_it_succeeds_once_and_a_failed_one_nothing(
    database_url: str,
) -> None:
    # the sandbox's own callback would come in an hour: the test delivers the signed callbacks itself
    async with served(database_url, sandbox_refund_delay_seconds=3600) as gw:
        acme = await gw.as_user("buyer@acme.example")
        operator = await gw.as_user("operator@demo.example", client="OPERATOR")
        offers = await offer_ids(gw, acme)
        cart = await cart_with(gw, acme, offers, {"NOTEBOOK": 10})
        assert (await gw.data(COST_CENTRE, {"id": cart["id"]}, acme))["updateDraftOrder"]["errors"] == []
        result = (await checkout(gw, acme, paymentMethodId="card-redirect"))["result"]
        assert "status=APPROVED" in (await decide(result["nextStep"], "approve")).headers["location"]
        order = await money(gw, operator, result["order"]["id"])
        total = Decimal(order["total"]["amount"])
        assert _usage(await _marketing(gw, acme)) == (total, Decimal("0.00"))

        async def refund(amount: str, key: str) -> dict:
            asked = {"orderId": order["id"], "amount": amount, "idempotencyKey": key}
            answer = (await gw.data(REFUND, {"input": asked}, operator))["refundOrder"]
            assert answer["errors"] == [] and answer["transaction"]["status"] == "PENDING", answer
            return answer["transaction"]

        async def callback(tx: dict, status: str) -> tuple[int, dict]:
            body, headers = refund_callback(tx["id"], order["reference"], tx["amount"]["amount"], status=status)
            answer = await gw.client.post(REFUND_CALLBACK, content=body, headers=headers)
            return answer.status_code, answer.json()

        succeeding = await refund("5.00", "ok")
        assert _usage(await _marketing(gw, acme)) == (total, Decimal("0.00"))  # asked: nothing given back yet
        assert (await callback(succeeding, "SUCCEEDED"))[1]["message"] == "processed"
        assert _usage(await _marketing(gw, acme)) == (total - Decimal("5.00"), Decimal("0.00"))
        assert (await callback(succeeding, "SUCCEEDED"))[1]["message"] == "already processed"  # a replay
        assert _usage(await _marketing(gw, acme)) == (total - Decimal("5.00"), Decimal("0.00"))

        failing = await refund("7.00", "ko")
        assert (await callback(failing, "FAILED"))[1]["message"] == "processed"
        assert _usage(await _marketing(gw, acme)) == (total - Decimal("5.00"), Decimal("0.00"))
        settled = await money(gw, operator, order["id"])
        assert [(t["status"], t["amount"]["amount"]) for t in settled["transactions"] if t["kind"] == "REFUND"] == [
            ("SUCCEEDED", "5.00"),
            ("FAILED", "7.00"),
        ]
