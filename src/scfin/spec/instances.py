"""Named instances: the worked numbers of docs/specification.md section 8 and textbook cases.

``load(name)`` returns an :class:`Instance` whose parameters and expected
values are exact ``Fraction`` s parsed from text (numbers only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Mapping

from scfin.spec.parsing import parse_number


@dataclass(frozen=True)
class Instance:
    name: str
    model: str
    source: str
    parameters: Mapping[str, Fraction]
    expected: Mapping[str, Mapping[str, Fraction]]
    rate: str | None = None


@lru_cache(maxsize=1)
def _raw() -> dict:
    text = resources.files("scfin").joinpath("data/instances.json").read_text()
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def names() -> tuple[str, ...]:
    return tuple(_raw())


def load(name: str) -> Instance:
    try:
        raw = _raw()[name]
    except KeyError:
        raise KeyError(f"unknown instance {name!r}: choose one of {', '.join(names())}") from None
    params = {k: parse_number(v, k) for k, v in raw["parameters"].items()}
    expected = {group: {k: parse_number(v, k) for k, v in vals.items()} for group, vals in raw["expected"].items()}
    return Instance(name, raw["model"], raw["source"], params, expected, raw.get("rate"))
