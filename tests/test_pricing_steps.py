"""The pricing pipeline's pure steps, without a database: resolution order, tiers, agreed prices, discounts,
rounding half up per line, tax per line, totals."""

from __future__ import annotations

from types import SimpleNamespace

from app.services.catalog.prices import ResolvedPrice, pick_prices
from app.services.pricing import steps


def price(unit: int, *, rate: int = 2000, tiers: tuple = (), min_q: int = 1) -> ResolvedPrice:
    return ResolvedPrice("p", "PUBLIC", "EUR", unit, rate, min_q, None, 1, tiers)


def line(key: str, qty: int, p: ResolvedPrice | None, *, agreed: int | None = None, stored: int = 0) -> steps.LineInput:
    return steps.LineInput(
        key=key,
        product_id=f"prod-{key}",
        quantity=qty,
        price=p,
        agreed_unit=agreed,
        stored_unit=stored,
        tax_rate_bp=p.tax_rate_bp if p else 2000,
    )


def row(offer: str, target: str, rid: str) -> SimpleNamespace:
    return SimpleNamespace(offer_id=offer, target=target, id=rid)


def test_resolution_prefers_account_then_group_then_public() -> None:
    rows = [row("o1", "PUBLIC", "a"), row("o1", "GROUP", "b"), row("o1", "ACCOUNT", "c"), row("o2", "PUBLIC", "d")]
    rows += [row("o2", "GROUP", "e"), row("o3", "PUBLIC", "f")]
    best = pick_prices(rows)
    assert {k: v.id for k, v in best.items()} == {"o1": "c", "o2": "e", "o3": "f"}
    # Two rows of the same target: the lowest id, whatever the order they came in.
    assert pick_prices([row("o", "PUBLIC", "z"), row("o", "PUBLIC", "y")])["o"].id == "y"


def test_tiers_apply_from_their_quantity() -> None:
    paper = price(500, tiers=((10, 450), (50, 400)))
    assert [steps.unit_price(paper, q, agreed=None, stored=0) for q in (1, 9, 10, 49, 50, 500)] == [
        500,
        500,
        450,
        450,
        400,
        400,
    ]


def test_agreed_price_wins_and_gets_no_promotion() -> None:
    paper = price(500, tiers=((10, 450),))
    assert steps.unit_price(paper, 50, agreed=390, stored=0) == 390
    rule = steps.DiscountRule("ALL10", percent_bp=1000)
    amounts, _ = steps.price_lines([line("q", 50, paper, agreed=390)], rules=[rule])
    assert (amounts[0].unit, amounts[0].discount, amounts[0].promotion) == (390, 0, None)


def test_a_price_that_is_gone_keeps_the_stored_unit() -> None:
    assert steps.unit_price(None, 3, agreed=None, stored=1500) == 1500


def test_tax_is_per_line_half_up() -> None:
    # 0.05 at 10 % = 0.005 -> 0.01 on each line; on the sum it would be 0.01 for both lines together.
    lines = [line("a", 1, price(5, rate=1000)), line("b", 1, price(5, rate=1000))]
    amounts, totals = steps.price_lines(lines)
    assert [a.tax for a in amounts] == [1, 1]
    assert (totals.subtotal, totals.tax, totals.total) == (10, 2, 12)
    assert steps.tax_of(250, 2000) == 50 and steps.tax_of(1, 5000) == 1 and steps.tax_of(1, 4999) == 0


def test_best_single_line_discount_half_up_per_line() -> None:
    pen = price(120)
    rules = [steps.DiscountRule("PENS-10", percent_bp=1000), steps.DiscountRule("FIXED-5", amount_off_unit=5)]
    amounts, totals = steps.price_lines([line("pen", 20, pen)], rules=rules)
    a = amounts[0]
    # 10 % of 24.00 = 2.40 beats 20 x 0.05 = 1.00; never both.
    assert (a.unit, a.discount, a.net, a.unit_after_discount, a.promotion) == (120, 240, 2160, 108, "PENS-10")
    assert (totals.line_discount, totals.amount_saved, totals.subtotal) == (240, 240, 2160)
    # 10 % of 3 x 0.99 = 0.297 -> 0.30, once for the line (not 3 x 0.10).
    amounts, _ = steps.price_lines([line("x", 3, price(99))], rules=rules[:1])
    assert amounts[0].discount == 30


def test_rules_for_other_products_do_not_apply() -> None:
    rule = steps.DiscountRule("NB20", percent_bp=2000, product_ids=frozenset({"prod-nb"}))
    amounts, _ = steps.price_lines([line("pen", 10, price(120)), line("nb", 10, price(300))], rules=[rule])
    assert [(a.key, a.discount) for a in amounts] == [("pen", 0), ("nb", 600)]


def test_order_discount_is_allocated_exactly_before_tax() -> None:
    assert steps.allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert steps.allocate(0, [5, 5]) == [0, 0] and steps.allocate(10, [0, 0]) == [0, 0]
    assert sum(steps.allocate(997, [123, 456, 789, 1])) == 997
    amounts, totals = steps.price_lines(
        [line("a", 100, price(300))], order_discount_amount=3000, shipping=500
    )  # NOTEBOOK x100 with 30.00 off and 5.00 shipping
    assert amounts[0].tax == 5400  # 20 % of 270.00
    assert (totals.subtotal, totals.order_discount, totals.shipping, totals.tax, totals.total) == (
        30000,
        3000,
        500,
        5400,
        30000 - 3000 + 500 + 5400,
    )
    assert totals.discount == 3000 and totals.amount_saved == 3000
    # An order discount never exceeds what is left to pay for the goods.
    _, capped = steps.price_lines([line("a", 1, price(300))], order_discount_amount=10_000)
    assert (capped.order_discount, capped.tax, capped.total) == (300, 0, 0)


def test_totals_of_an_empty_order_are_zero() -> None:
    amounts, totals = steps.price_lines([], shipping=0)
    assert amounts == [] and (totals.subtotal, totals.tax, totals.total, totals.discount) == (0, 0, 0, 0)


def test_money_keeps_the_order_currency() -> None:
    from app.services.common.money import to_decimal

    # Amounts are minor units of the order's currency; the API shows them as exact decimals.
    _, totals = steps.price_lines([line("a", 3, price(333))])
    assert str(to_decimal(totals.total)) == "11.99"  # 9.99 + 2.00 tax (1.998 half up)


# ---- promotions and vouchers (services/promotions/rules.py and the order-level step) -------------------


def _promotion(code: str, **kw: object):  # noqa: ANN202
    from app.models import Promotion

    base = {
        "code": code,
        "name": code,
        "level": "ORDER",
        "kind": "PERCENT",
        "value": 1000,
        "active": True,
        "requires_voucher": False,
        "starts_at": None,
        "ends_at": None,
        "min_order_total": None,
        "customer_group": "ALL",
        "max_discount_total": None,
        "discount_used": 0,
    }
    return Promotion(**{**base, **kw})


def _voucher(code: str, **kw: object):  # noqa: ANN202
    from app.models import Voucher

    base = {
        "id": "v-" + code,
        "code": code,
        "code_ci": code.lower(),
        "promotion_id": "p",
        "usage": "MULTIPLE",
        "max_uses": None,
        "used_count": 0,
        "active": True,
        "starts_at": None,
        "ends_at": None,
    }
    return Voucher(**{**base, **kw})


def test_order_rules_percent_fixed_and_product_limited() -> None:
    lines = [("nb", 30000), ("pen", 1000)]
    assert steps.OrderDiscountRule("W10", percent_bp=1000).discount(lines) == 3100
    assert steps.OrderDiscountRule("F5", amount_off=500).discount(lines) == 500
    assert steps.OrderDiscountRule("F5", amount_off=500).discount([("x", 300)]) == 300  # never more than the goods
    nb20 = steps.OrderDiscountRule("NB20", percent_bp=2000, product_ids=frozenset({"nb"}))
    assert nb20.discount(lines) == 6000 and nb20.discount([("pen", 1000)]) == 0
    # Half up once per eligible line: 20 % of 0.03 = 0.006 -> 0.01 on each of two lines.
    assert (
        steps.OrderDiscountRule("T", percent_bp=2000, product_ids=frozenset({"a"})).discount([("a", 3), ("a", 3)]) == 2
    )
    amounts, totals = steps.price_lines([line("a", 100, price(300))], order_rules=[steps.OrderDiscountRule("W", 1000)])
    assert totals.order_discounts == (("W", 3000),) and totals.amount_saved == 3000 and totals.total == 32400


def test_voucher_checks_in_order() -> None:
    from datetime import UTC, datetime, timedelta

    from app.services.common.errors import ErrorCode
    from app.services.pricing.promotion_rules import PromotionFacts, voucher_check

    now = datetime(2026, 11, 30, tzinfo=UTC)
    lines = [("nb", 5000)]

    def check(voucher, promotion, *, products=None, used=False, first=True):  # noqa: ANN001, ANN202
        found = voucher_check(
            voucher, PromotionFacts(promotion, products), now, first_time=first, lines=lines, used_by_customer=used
        )
        return found.code if found else None

    assert check(_voucher("OK"), _promotion("P", requires_voucher=True)) is None
    assert check(_voucher("OFF", active=False), _promotion("P")) == ErrorCode.VOUCHER_INVALID
    assert check(_voucher("OLD", ends_at=now - timedelta(days=1)), _promotion("P")) == ErrorCode.VOUCHER_EXPIRED
    assert check(_voucher("L2", max_uses=2, used_count=2), _promotion("P")) == ErrorCode.VOUCHER_USAGE_LIMIT
    assert check(_voucher("S", usage="SINGLE", used_count=1), _promotion("P")) == ErrorCode.VOUCHER_USAGE_LIMIT
    assert check(_voucher("O", usage="ONCE_PER_CUSTOMER"), _promotion("P"), used=True) == ErrorCode.VOUCHER_USAGE_LIMIT
    budget = _promotion("B", max_discount_total=1000, discount_used=1000)
    assert check(_voucher("B"), budget) == ErrorCode.VOUCHER_USAGE_LIMIT
    assert check(_voucher("M"), _promotion("P", min_order_total=10000)) == ErrorCode.VOUCHER_MIN_PURCHASE
    assert check(_voucher("N"), _promotion("P", level="PRODUCT"), products=frozenset({"pen"})) == (
        ErrorCode.VOUCHER_NOT_APPLICABLE
    )
    assert check(_voucher("F"), _promotion("P", customer_group="FIRST_TIME"), first=False) == ErrorCode.VOUCHER_INVALID


def test_automatic_promotions_window_group_budget_and_best_order_rule() -> None:
    from datetime import UTC, datetime, timedelta

    from app.services.pricing.promotion_rules import PromotionFacts, automatic_line_rules, best_automatic_order_rule

    now = datetime(2026, 11, 30, tzinfo=UTC)
    facts = [
        PromotionFacts(_promotion("PENS", level="PRODUCT"), frozenset({"pen"})),
        PromotionFacts(_promotion("LATER", level="PRODUCT", starts_at=now + timedelta(days=1)), None),
        PromotionFacts(_promotion("NEW", level="PRODUCT", customer_group="FIRST_TIME"), None),
        PromotionFacts(_promotion("SPENT", level="PRODUCT", max_discount_total=100, discount_used=100), None),
        PromotionFacts(_promotion("VOUCHER", level="PRODUCT", requires_voucher=True), None),
        PromotionFacts(_promotion("BIG", kind="FIXED", value=2000, min_order_total=10000), None),
        PromotionFacts(_promotion("SMALL", kind="FIXED", value=500), None),
    ]
    assert [r.code for r in automatic_line_rules(facts, now, first_time=False)] == ["PENS"]
    assert [r.code for r in automatic_line_rules(facts, now, first_time=True)] == ["PENS", "NEW"]
    assert best_automatic_order_rule(facts, now, first_time=False, lines=[("x", 5000)]).code == "SMALL"
    assert best_automatic_order_rule(facts, now, first_time=False, lines=[("x", 20000)]).code == "BIG"
