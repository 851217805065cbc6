"""Country names of addresses: full names (ISO 3166, from pycountry), never codes."""

from __future__ import annotations

from dataclasses import dataclass

import pycountry


@dataclass(frozen=True)
class CountryCheck:
    name: str | None  # the full name, canonical spelling, when the input is one
    suggestion: str | None = None  # the full name of a code given instead


def full_country_name(value: str) -> CountryCheck:
    text = " ".join(value.split())
    if not text or len(text) > 100:
        return CountryCheck(None)
    found = pycountry.countries.get(name=text) or pycountry.countries.get(official_name=text)
    if found is not None:
        return CountryCheck(found.name)
    if len(text) in (2, 3) and text.isalpha():
        code = pycountry.countries.get(alpha_2=text) if len(text) == 2 else pycountry.countries.get(alpha_3=text)
        if code is not None:
            return CountryCheck(None, code.name)
    return CountryCheck(None)
