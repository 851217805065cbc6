"""The fields of an address a buyer types in: trimmed, within the columns' lengths, the country a full name
(SPEC 9, as createOrderFromCart's billing address). Shared by the address book and any flow that takes an
address as input."""

from __future__ import annotations

from dataclasses import dataclass, fields

from app.models import Address
from app.services.common.countries import full_country_name
from app.services.common.errors import ErrorCode, Problem

REQUIRED = ("street", "city", "country")
OPTIONAL = ("full_name", "postal_code", "state", "phone")
# The columns' own lengths: a longer value is refused here, never cut or failed by the database.
LIMITS = {name: Address.__table__.c[name].type.length for name in (*REQUIRED, *OPTIONAL)}


@dataclass(frozen=True)
class AddressFields:
    """Typed values; None: not given (unchanged on an update). An empty optional field clears it."""

    street: str | None = None
    city: str | None = None
    country: str | None = None
    full_name: str | None = None
    postal_code: str | None = None
    state: str | None = None
    phone: str | None = None

    def given(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def clean_address(
    typed: AddressFields, field: tuple[str, ...], *, creating: bool
) -> tuple[dict[str, str | None], list[Problem]]:
    """The values to store (only those given, trimmed; an empty optional one as None), or every problem at
    once. `creating`: street, city and country must be given."""
    values: dict[str, str | None] = {}
    problems: list[Problem] = []
    given = typed.given()
    for name in REQUIRED:
        if creating and name not in given:
            problems.append(
                Problem(ErrorCode.INVALID_INPUT, f"{_camel(name)} is required", field=(*field, _camel(name)))
            )
    for name, raw in given.items():
        text = " ".join(raw.split())
        path = (*field, _camel(name))
        if len(text) > LIMITS[name]:
            problems.append(
                Problem(ErrorCode.INVALID_INPUT, f"{_camel(name)} is limited to {LIMITS[name]} characters", field=path)
            )
        elif not text and name in REQUIRED:
            problems.append(Problem(ErrorCode.INVALID_INPUT, f"{_camel(name)} cannot be empty", field=path))
        elif name == "country":
            country = full_country_name(text)
            if country.name is None:
                hint = f': did you mean "{country.suggestion}"?' if country.suggestion else ""
                problems.append(
                    Problem(ErrorCode.COUNTRY_NAME_NOT_FULL, f"country must be a full country name{hint}", field=path)
                )
            values[name] = country.name
        else:
            values[name] = text or None
    return (values, []) if not problems else ({}, problems)
