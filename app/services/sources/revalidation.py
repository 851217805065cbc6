"""The rules every draft started from something else follows (a quote, an operation, a past order, a
requisition list): one function per rule, each source only says where its lines come from.

- `revalidate`: each line is checked with today's rules (`check_line`: visibility in the account's catalog,
  product, variant and offer active, a price for the caller, quantity rules, stock when the tenant checks it);
- `skip_warnings`: a line that fails is skipped, each of its problems a non-blocking warning naming its SKU;
- `refuse_if_empty`: when no line is left, no draft is made (the source's code, with the warnings);
- `draft_with_lines`: the draft holds the kept lines at the agreed unit price when the source has one (a quote),
  else at today's price for the caller, priced through the pricing pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order
from app.services.catalog.offers import OfferInfo
from app.services.catalog.quantity_rules import ExtraLimits, check_line
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.orders.draft_lines import new_line
from app.services.orders.drafts import new_draft
from app.services.orders.editing import reprice
from app.services.rules.states import OrderStatus


@dataclass(frozen=True)
class SourceLine:
    """One line a source asks for: the offer as the caller sees it now (None: no offer any more)."""

    info: OfferInfo | None
    sku: str  # how a warning names the line
    quantity: int
    agreed: int | None = None  # a quote's agreed unit price (minor units); None: today's price
    extra: ExtraLimits | None = None  # an operation line's own min and max


def skip_warnings(problems: Sequence[Problem], sku: str, index: int) -> list[Problem]:
    """A skipped line's problems as warnings (not blocking) naming its SKU and its position in the source."""
    return [Problem(p.code, f"{sku} skipped: {p.message}", index=index, blocking=False) for p in problems]


def revalidate(lines: Sequence[SourceLine], *, stock_check: bool) -> tuple[list[SourceLine], list[Problem]]:
    """The lines that can be bought now, and a warning for each problem of every other one."""
    kept: list[SourceLine] = []
    warnings: list[Problem] = []
    for i, ln in enumerate(lines):
        problems = check_line(ln.info, ln.quantity, stock_check=stock_check, extra=ln.extra, index=i)
        if problems:
            warnings += skip_warnings(problems, ln.sku, i)
        else:
            kept.append(ln)
    return kept, warnings


def refuse_if_empty(kept: Sequence[SourceLine], warnings: Sequence[Problem], code: ErrorCode, message: str) -> None:
    """No line left: refuse the whole unit of work, the skipped lines still told as warnings."""
    if not kept:
        raise Refusal(Problem(code, message), *warnings)


async def draft_with_lines(
    session: AsyncSession,
    caller: Caller,
    kept: Sequence[SourceLine],
    *,
    source: tuple[str, str],
    status: OrderStatus = OrderStatus.DRAFT,
) -> Order:
    """A new draft of the caller holding the kept lines, priced (its first version: not bumped)."""
    order = await new_draft(session, caller, status=status, source=source)
    for pos, ln in enumerate(kept):
        assert ln.info is not None  # a kept line passed check_line: its offer is known and priced
        session.add(new_line(order.id, ln.info, ln.quantity, pos, agreed=ln.agreed))
    await session.flush()
    await reprice(session, caller, order, bump=False)
    return order
