"""B2B purchasing helpers: requisition lists and quick order by pasted text (docs/b2b.md)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from app import models
from app.schema.catalog import Variant
from app.schema.common import Node, PageInfo, UserError, user_errors
from app.schema.drafts import DraftOrder
from app.services.orders import pasted_lines

PastedLineResult = strawberry.enum(
    pasted_lines.PastedLineResult,
    name="PastedLineResult",
    description="What became of one pasted line.",
)


@strawberry.type(description="The answer for one non-blank line of the text given to addDraftOrderLinesFromText.")
class PastedLine:
    line_number: int = strawberry.field(
        description="Its line number in the text, from 1 (a quoted field spanning lines: its first line). The "
        "payload's errors for it have index lineNumber - 1."
    )
    text: str = strawberry.field(description="The line as pasted (at most 500 characters of it).")
    result: PastedLineResult = strawberry.field(description="Added, refused or ignored.")
    sku: str | None = strawberry.field(description="The SKU read from it, if any.")
    quantity: int | None = strawberry.field(description="The quantity read from it, if it is a whole number.")
    draft_line_id: strawberry.ID | None = strawberry.field(
        description="The draft line it was added to (ADDED only); lines of the same SKU add up into one."
    )
    problems: list[UserError] = strawberry.field(description="Why it was refused (empty unless REFUSED).")

    @classmethod
    def of(cls, ln: pasted_lines.PastedLine) -> PastedLine:
        return cls(
            line_number=ln.line_number,
            text=ln.text,
            result=PastedLineResult(ln.result),
            sku=ln.sku,
            quantity=ln.quantity,
            draft_line_id=strawberry.ID(ln.draft_line_id) if ln.draft_line_id else None,
            problems=user_errors(ln.problems),
        )


@strawberry.type(description="The result of addDraftOrderLinesFromText.")
class AddDraftOrderLinesFromTextPayload:
    draft_order: DraftOrder | None = strawberry.field(
        description="The draft after the call (as it was when nothing could be added), or null when not found."
    )
    lines: list[PastedLine] = strawberry.field(
        description="One answer per non-blank line of the text, in text order (empty when the whole call was "
        "refused before reading it: VERSION_CONFLICT, ORDER_NOT_EDITABLE, a text too long)."
    )
    errors: list[UserError] = strawberry.field(
        description='Every refused line\'s problems (index: its line number - 1; field: ["text", line number]), '
        "or why the call was refused as a whole."
    )


@strawberry.type(description="An item of a requisition list: a SKU and a quantity.")
class RequisitionListItem:
    id: strawberry.ID
    sku: str = strawberry.field(description="The variant's SKU.")
    quantity: int = strawberry.field(description="Units a draft made from the list asks for.")
    variant: Variant = strawberry.field(description="The variant, with its offers for the viewer.")


@strawberry.type(
    description="A saved list of an account's usual items, private to the user who made it until shared with "
    "the account. Only that user changes it; whoever sees it may make drafts of it "
    "(createDraftOrderFromRequisitionList)."
)
class RequisitionList(Node):
    id: strawberry.ID
    name: str = strawberry.field(description="Its name, 1 to 200 characters.")
    shared: bool = strawberry.field(description="Seen by every user of the account (else only by its creator).")
    owned_by_viewer: bool = strawberry.field(description="Whether the viewer made it, and so may change it.")
    created_at: datetime = strawberry.field(description="When it was made.")
    updated_at: datetime = strawberry.field(description="When it or its items last changed.")
    model: strawberry.Private[models.RequisitionList]

    @strawberry.field(description="Its items, in the order they were added.")
    async def items(self, info: strawberry.Info) -> list[RequisitionListItem]:
        rows = await info.context.loaders.requisition_list_items.load(self.model.id)
        return [
            RequisitionListItem(id=strawberry.ID(item.id), sku=v.sku, quantity=item.quantity, variant=Variant.of(v))
            for item, v in rows
        ]

    @classmethod
    def of(cls, lst: models.RequisitionList, viewer_id: str | None) -> RequisitionList:
        return cls(
            id=strawberry.ID(lst.id),
            name=lst.name,
            shared=lst.shared,
            owned_by_viewer=viewer_id is not None and lst.owner_user_id == viewer_id,
            created_at=lst.created_at,
            updated_at=lst.updated_at,
            model=lst,
        )


@strawberry.type(description="One requisition list of a page, with its cursor.")
class RequisitionListEdge:
    cursor: str
    node: RequisitionList


@strawberry.type(description="A page of requisition lists: edges, paging and the total count.")
class RequisitionListConnection:
    edges: list[RequisitionListEdge]
    page_info: PageInfo
    total_count: int


@strawberry.input(description="An item to add or set: a SKU (any case) and a quantity.")
class RequisitionListItemInput:
    sku: str = strawberry.field(description="The SKU; SKU_NOT_FOUND when no product has it.")
    quantity: int = strawberry.field(
        description="Units; within the offer's min, max and pack size (addRequisitionListItems adds it to the "
        "item's quantity, updateRequisitionListItems sets it, 0 removing the item)."
    )


@strawberry.input(description="A new requisition list.")
class CreateRequisitionListInput:
    name: str = strawberry.field(description="1 to 200 characters.")
    shared: bool = strawberry.field(
        default=False, description="Seen by every user of the account at once (default: private to you)."
    )
    items: list[RequisitionListItemInput] | None = strawberry.field(
        default=None, description="Items to add at once (as addRequisitionListItems)."
    )


@strawberry.type(description="The requisition list after the mutation.")
class RequisitionListPayload:
    requisition_list: RequisitionList | None = strawberry.field(
        description="The list (as it was when the mutation was refused), or null when not found."
    )
    errors: list[UserError]


@strawberry.type(description="The result of deleteRequisitionList.")
class DeleteRequisitionListPayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="The id of the list deleted, or null.")
    errors: list[UserError]
