"""The recorded response shapes in ``fixtures/`` (see its README): templates for the fake server and the
reference the tests compare the fake's answers with."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def _raw(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def load(name: str) -> dict:
    """A fresh copy of the fixture ``name`` (e.g. ``"youtube/comment.json"``)."""
    return copy.deepcopy(json.loads(_raw(name)))


def shape(value: object) -> object:
    """The structure of a JSON value: dicts keep their keys, lists the shape of their first element, scalars
    their type name (int and float are both "number")."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def same_shape(actual: object, expected: object) -> list[str]:
    """Where ``actual`` differs in shape from ``expected`` (missing or extra keys, other types); [] if none.
    Empty lists on either side match any list."""
    problems: list[str] = []
    _compare(shape(actual), shape(expected), "$", problems)
    return problems


def _compare(actual: object, expected: object, where: str, problems: list[str]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected.keys() - actual.keys():
            problems.append(f"{where}.{key} missing")
        for key in actual.keys() - expected.keys():
            problems.append(f"{where}.{key} not in the real format")
        for key in expected.keys() & actual.keys():
            _compare(actual[key], expected[key], f"{where}.{key}", problems)
    elif isinstance(expected, list) and isinstance(actual, list):
        if expected and actual:
            _compare(actual[0], expected[0], f"{where}[0]", problems)
    elif actual != expected:
        problems.append(f"{where}: {actual} instead of {expected}")
