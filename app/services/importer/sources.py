"""The sources part of a tenant's section: quotes and operations."""

from __future__ import annotations

from sqlalchemy import delete

from app.models import (
    Operation,
    OperationAccount,
    OperationLine,
    Quote,
    QuoteLine,
)
from app.services.common.money import parse_amount
from app.services.importer.base import ImportBase, ImportFileError, money, parse_date


class SourcesSection(ImportBase):
    async def _quotes(
        self, account_ids: dict, store_ids: dict, offer_ids: dict, offer_by_variant: dict, variants: dict
    ) -> None:
        quotes = await self._existing(Quote)
        for i, q in enumerate(self.data.get("quotes", [])):
            path = f"{self.base}.quotes[{i}]"
            quote = await self._upsert(
                quotes,
                q["externalId"],
                Quote,
                tenant_id=self.t.id,
                external_id=q["externalId"],
                name=q.get("name"),
                account_id=self._ref(account_ids, q["account"], f"{path}.account", "account"),
                store_id=self._ref(store_ids, q["store"], f"{path}.store", "store"),
                status=q.get("status", "NEW"),
                currency=q.get("currency", "EUR"),
                expires_at=parse_date(q.get("expiresAt"), self.now, f"{path}.expiresAt"),
            )
            await self.s.flush()
            await self.s.execute(delete(QuoteLine).where(QuoteLine.quote_id == quote.id))
            for j, ln in enumerate(q.get("lines", [])):
                lp = f"{path}.lines[{j}]"
                if "offer" in ln:
                    offer_id = self._ref(offer_ids, ln["offer"], f"{lp}.offer", "offer")
                elif "sku" in ln:
                    variant = self._ref(variants, ln["sku"], f"{lp}.sku", "sku")
                    offer_id = self._ref(offer_by_variant, variant.id, f"{lp}.sku", "offer for sku")
                else:
                    raise ImportFileError(lp, "a quote line names an offer or a sku")
                self.s.add(
                    QuoteLine(
                        quote_id=quote.id,
                        offer_id=offer_id,
                        quantity=ln["quantity"],
                        unit_amount=money(parse_amount, ln["amount"], f"{lp}.amount"),
                        position=j,
                    )
                )
            self._count("quotes")

    async def _operations(self, account_ids: dict, store_ids: dict, variants: dict) -> None:
        operations = await self._existing(Operation)
        for i, o in enumerate(self.data.get("operations", [])):
            path = f"{self.base}.operations[{i}]"
            op = await self._upsert(
                operations,
                o["externalId"],
                Operation,
                tenant_id=self.t.id,
                external_id=o["externalId"],
                name=o["name"],
                store_id=self._ref(store_ids, o["store"], f"{path}.store", "store"),
                type=o.get("type", "PUBLIC"),
                status=o.get("status", "DRAFT"),
                starts_at=parse_date(o["startsAt"], self.now, f"{path}.startsAt"),
                ends_at=parse_date(o.get("endsAt"), self.now, f"{path}.endsAt"),
            )
            await self.s.flush()
            await self.s.execute(delete(OperationLine).where(OperationLine.operation_id == op.id))
            await self.s.execute(delete(OperationAccount).where(OperationAccount.operation_id == op.id))
            for j, ln in enumerate(o.get("lines", [])):
                lp = f"{path}.lines[{j}]"
                lo, hi, rec = ln.get("minQuantity"), ln.get("maxQuantity"), ln.get("recommendedQuantity")
                if lo is not None and hi is not None and lo > hi:
                    raise ImportFileError(f"{lp}.maxQuantity", "maxQuantity is below minQuantity")
                if rec is not None and ((lo is not None and rec < lo) or (hi is not None and rec > hi)):
                    raise ImportFileError(f"{lp}.recommendedQuantity", "recommendedQuantity is outside min..max")
                variant = self._ref(variants, ln["sku"], f"{lp}.sku", "sku")
                self.s.add(
                    OperationLine(
                        operation_id=op.id,
                        variant_id=variant.id,
                        min_quantity=lo,
                        max_quantity=hi,
                        recommended_quantity=rec,
                        position=j,
                    )
                )
            self.s.add_all(
                OperationAccount(
                    operation_id=op.id, account_id=self._ref(account_ids, ax, f"{path}.accounts[{j}]", "account")
                )
                for j, ax in enumerate(o.get("accounts", []))
            )
            self._count("operations")
