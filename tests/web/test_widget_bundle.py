"""The widget script stays small and self-contained."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

WIDGET = Path(__file__).resolve().parents[2] / "web" / "widget.js"


def test_widget_is_at_most_30_kb_gzipped() -> None:
    size = len(gzip.compress(WIDGET.read_bytes(), compresslevel=9))
    assert size <= 30 * 1024, f"widget.js is {size} bytes gzipped"


def test_widget_loads_nothing_from_other_origins() -> None:
    code = re.sub(r"/\*.*?\*/", "", WIDGET.read_text(), flags=re.S)  # drop the header comment
    urls = set(re.findall(r"https?://[^\s\"')]+", code))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls  # the SVG namespace is a name, not a fetch
    assert "innerHTML" not in code, "build DOM with createElement/textContent only"
