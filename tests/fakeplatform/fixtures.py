"""pytest fixtures for the fake platform: import them into conftest.py, or name this module in
pytest_plugins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FakePlatform


@pytest.fixture
def fake_platform() -> Iterator[FakePlatform]:
    """A running FakePlatform, stopped after the test."""
    with FakePlatform() as platform:
        yield platform
