"""Quick order: lines pasted as text (`SKU;quantity`, one a line) added to a draft, with an answer per line.

Reading the text (`read_pasted`, pure):
- lines end with LF, CRLF or CR; blank lines are passed over;
- the delimiter is found by `csv.Sniffer` among `;`, tab, `,` and `|` (else the one most lines hold; a text
  without any is one SKU per line); quoting is standard CSV: `"PAPER-A4";"50"`, a `""` inside quotes is `"`,
  a quoted field may even hold the delimiter;
- a first row naming its columns (`SKU;Quantity`, `item,qty`, ...: `HEADER_SKU` and `HEADER_QUANTITY`) is a
  header: it is answered IGNORED and its names place the columns (other columns are ignored); without one the
  SKU is the first column and the quantity the second, and further columns are ignored;
- a quantity is a whole number (`10`, also `10.0` as spreadsheets export it); anything else is the line's
  INVALID_QUANTITY, a line without a SKU its INVALID_INPUT.

Adding (`add_lines_from_text`): the readable lines go through the very rules of `addDraftOrderLines` with a
`sku` (draft_lines.add: SKU_NOT_FOUND, PRODUCT_NOT_VISIBLE, OFFER_UNAVAILABLE, quantity and stock rules, the
same SKU twice adds up into one line), all in one unit of work and in a number of statements that does not
grow with the lines. Each refused line is an error whose `index` is the line's position in the text counted
from 0 (its line number - 1) and whose `field` is `["text", "<line number>"]`; the others are added. When no
line can be added nothing changes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Order
from app.services.common.caller import Caller
from app.services.common.errors import ErrorCode, Problem, Refusal
from app.services.common.money import MAX_QUANTITY
from app.services.common.outcome import Outcome, service
from app.services.orders import draft_lines
from app.services.orders.draft_lines import MAX_LINES_PER_CALL, LineRequest
from app.services.orders.editing import locked_draft, reprice
from app.services.pricing.snapshot import source_limits

MAX_TEXT = 100_000  # characters: 200 lines with room for long SKUs, quotes and extra columns
DELIMITERS = ";\t,|"
_SNIFF_SAMPLE = 8_000
HEADER_SKU = frozenset({"sku", "item", "article", "code", "reference", "ref", "product", "part", "part number"})
HEADER_QUANTITY = frozenset({"quantity", "qty", "quantities", "amount", "count", "units", "qté", "quantité", "menge"})
_WHOLE = re.compile(r"([+-]?\d+)(?:[.,]0+)?")


class PastedLineResult(StrEnum):
    ADDED = "ADDED"  # added to the draft (a new line, or more of a line it had)
    REFUSED = "REFUSED"  # not added: its problems say why
    IGNORED = "IGNORED"  # a header row


@dataclass
class PastedLine:
    """The answer for one non-blank line of the text."""

    line_number: int  # 1-based, as an editor shows it (a quoted field spanning lines: its first line)
    text: str
    result: PastedLineResult = PastedLineResult.REFUSED
    sku: str | None = None
    quantity: int | None = None
    problems: list[Problem] = field(default_factory=list)
    draft_line_id: str | None = None  # the draft line it was added to


@dataclass
class PastedText:
    order: Order | None
    lines: list[PastedLine]


def _delimiter(rows: list[str]) -> str:
    sample = "\n".join(rows)[:_SNIFF_SAMPLE]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        if found in DELIMITERS:
            return found
    except csv.Error:
        pass
    counts = {d: sum(1 for r in rows if d in r) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the first of DELIMITERS
    return best if counts[best] else DELIMITERS[0]


def _header_columns(cells: list[str]) -> tuple[int, int] | None:
    """(SKU column, quantity column) when the row is a header, else None."""
    names = [" ".join(c.lower().replace("_", " ").replace("-", " ").split()) for c in cells]
    sku = next((i for i, n in enumerate(names) if n in HEADER_SKU), None)
    qty = next((i for i, n in enumerate(names) if n in HEADER_QUANTITY), None)
    if sku is None and qty is None:
        return None
    if sku is None:
        sku = 0 if qty != 0 else 1
    return sku, qty if qty is not None else sku + 1


def _quantity(text: str, index: int, number: int) -> tuple[int | None, Problem | None]:
    where = ("text", str(number))
    if not text:
        return None, Problem(ErrorCode.INVALID_QUANTITY, f"line {number}: no quantity", index=index, field=where)
    m = _WHOLE.fullmatch(text)
    if m is None:
        message = f"line {number}: {text[:40]!r} is not a whole number of units"
        return None, Problem(ErrorCode.INVALID_QUANTITY, message, index=index, field=where)
    if len(m.group(1).lstrip("+-")) > len(str(MAX_QUANTITY)):  # never converts a huge number
        message = f"line {number}: quantity must be at most {MAX_QUANTITY}"
        return None, Problem(ErrorCode.INVALID_QUANTITY, message, index=index, field=where)
    return int(m.group(1)), None


def read_pasted(text: str) -> list[PastedLine]:
    """Every non-blank line of the text, read: header rows IGNORED, the others with their SKU and quantity or
    the problem that keeps them from being read (REFUSED). Pure: no SKU is looked up here."""
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    non_blank = [ln for ln in physical if ln.strip()]
    if not non_blank:
        return []
    reader = csv.reader(
        io.StringIO("\n".join(physical)),
        delimiter=_delimiter(non_blank[:200]),
        quotechar='"',
        doublequote=True,
        skipinitialspace=True,
        strict=False,
    )
    out: list[PastedLine] = []
    columns: tuple[int, int] | None = None
    first_row = True
    last = 0
    for row in reader:
        start, last = last + 1, reader.line_num
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        line = PastedLine(line_number=start, text="\n".join(physical[start - 1 : last])[:500])
        out.append(line)
        if first_row:
            first_row = False
            columns = _header_columns(cells)
            if columns is not None:
                line.result = PastedLineResult.IGNORED
                continue
        sku_col, qty_col = columns or (0, 1)
        index, where = start - 1, ("text", str(start))
        sku = cells[sku_col] if sku_col < len(cells) else ""
        if not sku:
            line.problems.append(Problem(ErrorCode.INVALID_INPUT, f"line {start}: no SKU", index=index, field=where))
            continue
        line.sku = sku
        line.quantity, problem = _quantity(cells[qty_col] if qty_col < len(cells) else "", index, start)
        if problem is not None:
            line.problems.append(problem)
    return out


@service
async def add_lines_from_text(
    session: AsyncSession, caller: Caller, order_id: str, text: str, expected_version: int | None
) -> Outcome[PastedText]:
    try:
        return await _add_from_text(session, caller, order_id, text, expected_version)
    except Refusal as refusal:  # the draft as it is (reloaded after the rollback), no line read
        refused: Outcome[PastedText] = Outcome.from_refusal(refusal)
        refused.value = PastedText(refusal.value if isinstance(refusal.value, Order) else None, [])
        return refused


async def _add_from_text(
    session: AsyncSession, caller: Caller, order_id: str, text: str, expected_version: int | None
) -> Outcome[PastedText]:
    order = await locked_draft(session, caller, order_id, expected_version, lines=True)
    if len(text) > MAX_TEXT:
        raise Refusal(
            Problem(ErrorCode.INVALID_INPUT, f"the text is limited to {MAX_TEXT} characters", field=("text",)),
            value=order,
        )
    read = read_pasted(text)
    wanted = [ln for ln in read if ln.sku is not None and not ln.problems]
    if len(wanted) > MAX_LINES_PER_CALL:
        raise Refusal(
            Problem(ErrorCode.INVALID_INPUT, f"at most {MAX_LINES_PER_CALL} lines per call", field=("text",)),
            value=order,
        )
    if not wanted and not any(ln.problems for ln in read):
        raise Refusal(Problem(ErrorCode.INVALID_INPUT, "no line to add in the text", field=("text",)), value=order)
    limits = (await source_limits(session, [order])).get(order.id)
    requests = [LineRequest(offer_id=None, variant_id=None, sku=ln.sku, quantity=ln.quantity or 0) for ln in wanted]
    applied = await draft_lines.add(session, caller, order, requests, limits) if requests else draft_lines.Applied()
    for problem in applied.errors:
        ln = wanted[problem.index or 0]
        number = ln.line_number
        ln.problems.append(
            replace(problem, index=number - 1, field=("text", str(number)), message=f"line {number}: {problem.message}")
        )
    for i, ln in enumerate(wanted):
        added = applied.lines.get(i)
        if added is not None:
            ln.result, ln.draft_line_id = PastedLineResult.ADDED, added.id
    errors = [p for ln in read for p in ln.problems]
    result = PastedText(order, read)
    if applied.count == 0:
        return Outcome.refused(*errors, value=result)
    await session.flush()
    await reprice(session, caller, order, infos=applied.infos)
    return Outcome.done(result, errors=errors)
