"""The sources part of a tenant's section: quotes and operations. Their `lines` (and an operation's `accounts`)
are replaced by the file's list when the record carries one, and kept when it does not."""

from __future__ import annotations

from sqlalchemy import delete, select

from app.models import (
    Operation,
    OperationAccount,
    OperationLine,
    Quote,
    QuoteLine,
)
from app.services.common.money import parse_amount
from app.services.importer.base import Change, ImportBase, ImportFileError, given, money, parse_date
from app.services.rules.source_states import OperationStatus, QuoteStatus

_QUOTE_LINE = ("offer_id", "quantity", "unit_amount", "position")
_OPERATION_LINE = ("variant_id", "min_quantity", "max_quantity", "recommended_quantity", "position")


class SourcesSection(ImportBase):
    async def _replace_lines(
        self,
        change: Change,
        model,
        parent,
        parent_id: str,
        columns: tuple[str, ...],
        wanted: list[dict],  # noqa: ANN001
    ) -> None:
        """Make the parent's lines exactly `wanted` (column values, in order); rewritten only when they differ."""
        rows = await self.s.scalars(select(model).where(parent == parent_id).order_by(model.position))
        current = [tuple(getattr(r, c) for c in columns) for r in rows]
        if current == [tuple(w[c] for c in columns) for w in wanted]:
            return
        await self.s.execute(delete(model).where(parent == parent_id))
        self.s.add_all(model(**{parent.key: parent_id}, **w) for w in wanted)
        change.changed("lines")

    async def _quotes(
        self, account_ids: dict, store_ids: dict, offer_ids: dict, offer_by_variant: dict, variants: dict
    ) -> None:
        quotes = await self._existing(Quote)
        for i, q in enumerate(self.data.get("quotes", [])):
            path = f"{self.base}.quotes[{i}]"
            values = {
                "tenant_id": self.t.id,
                "external_id": q["externalId"],
                "account_id": self._ref(account_ids, q["account"], f"{path}.account", "account"),
                "store_id": self._ref(store_ids, q["store"], f"{path}.store", "store"),
            } | given(
                q,
                name="name",
                status="status",
                currency="currency",
                expires_at=self._date("expiresAt", path),
            )
            quote, change = self._upsert(
                "quotes", quotes, q["externalId"], Quote, values, {"status": QuoteStatus.NEW, "currency": "EUR"}
            )
            await self.s.flush()
            if "lines" not in q:
                self._count("quotes")
                continue
            wanted = []
            for j, ln in enumerate(q["lines"]):
                lp = f"{path}.lines[{j}]"
                if "offer" in ln:
                    offer_id = self._ref(offer_ids, ln["offer"], f"{lp}.offer", "offer")
                elif "sku" in ln:
                    variant = self._ref(variants, ln["sku"], f"{lp}.sku", "sku")
                    offer_id = self._ref(offer_by_variant, variant.id, f"{lp}.sku", "offer for sku")
                else:
                    raise ImportFileError(lp, "a quote line names an offer or a sku")
                wanted.append(
                    {
                        "offer_id": offer_id,
                        "quantity": ln["quantity"],
                        "unit_amount": money(parse_amount, ln["amount"], f"{lp}.amount"),
                        "position": j,
                    }
                )
            await self._replace_lines(change, QuoteLine, QuoteLine.quote_id, quote.id, _QUOTE_LINE, wanted)
            self._count("quotes")

    async def _operations(self, account_ids: dict, store_ids: dict, variants: dict) -> None:
        operations = await self._existing(Operation)
        for i, o in enumerate(self.data.get("operations", [])):
            path = f"{self.base}.operations[{i}]"
            values = {
                "tenant_id": self.t.id,
                "external_id": o["externalId"],
                "name": o["name"],
                "store_id": self._ref(store_ids, o["store"], f"{path}.store", "store"),
                "starts_at": parse_date(o["startsAt"], self.now, f"{path}.startsAt"),
            } | given(
                o,
                type="type",
                status="status",
                ends_at=self._date("endsAt", path),
            )
            op, change = self._upsert(
                "operations",
                operations,
                o["externalId"],
                Operation,
                values,
                {"type": "PUBLIC", "status": OperationStatus.DRAFT},
            )
            await self.s.flush()
            if "lines" in o:
                wanted = []
                for j, ln in enumerate(o["lines"]):
                    lp = f"{path}.lines[{j}]"
                    lo, hi, rec = ln.get("minQuantity"), ln.get("maxQuantity"), ln.get("recommendedQuantity")
                    if lo is not None and hi is not None and lo > hi:
                        raise ImportFileError(f"{lp}.maxQuantity", "maxQuantity is below minQuantity")
                    if rec is not None and ((lo is not None and rec < lo) or (hi is not None and rec > hi)):
                        raise ImportFileError(f"{lp}.recommendedQuantity", "recommendedQuantity is outside min..max")
                    variant = self._ref(variants, ln["sku"], f"{lp}.sku", "sku")
                    wanted.append(
                        {
                            "variant_id": variant.id,
                            "min_quantity": lo,
                            "max_quantity": hi,
                            "recommended_quantity": rec,
                            "position": j,
                        }
                    )
                await self._replace_lines(
                    change, OperationLine, OperationLine.operation_id, op.id, _OPERATION_LINE, wanted
                )
            if "accounts" in o:
                wanted_accounts = [
                    self._ref(account_ids, ax, f"{path}.accounts[{j}]", "account") for j, ax in enumerate(o["accounts"])
                ]
                await self._links(
                    change,
                    "accounts",
                    OperationAccount,
                    OperationAccount.operation_id,
                    OperationAccount.account_id,
                    op.id,
                    wanted_accounts,
                )
            self._count("operations")
