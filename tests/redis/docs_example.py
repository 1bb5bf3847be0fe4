"""The examples of the docs/ pages, as the tests that run them read them."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ("DOCS", "example_in")

DOCS = Path(__file__).resolve().parents[2] / "docs"


def example_in(page: str, name: str) -> str:
    """The ``# example: <name>`` block of ``docs/<page>``."""
    match = re.search(
        rf"```python\n(# example: {name}\n.*?)```", (DOCS / page).read_text(), re.DOTALL
    )
    assert match, f"docs/{page} has no '# example: {name}' block"
    return match.group(1)
