"""Every widget string exists in all five languages (read by Node from web/widget.js)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

WIDGET = Path(__file__).resolve().parents[2] / "web" / "widget.js"
PLACEHOLDERS = ("{n}", "{name}", "{price}", "{what}", "{r}")
CART_KEYS = {
    "cart",
    "cartTitle",
    "closeCart",
    "items1",
    "itemsN",
    "cartEmpty",
    "each",
    "qtyOf",
    "less",
    "more",
    "remove",
    "removeOf",
    "gone",
    "total",
    "checkout",
    "newTab",
    "choose",
    "chooseFirst",
}


def _strings() -> dict[str, dict[str, object]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    code = WIDGET.read_text()
    start = code.index("var STRINGS = {")
    end = code.index("\n  };", start) + len("\n  };")
    script = code[start:end] + "\nprocess.stdout.write(JSON.stringify(STRINGS));"
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    strings: dict[str, dict[str, object]] = json.loads(out.stdout)
    return strings


def test_all_languages_have_every_string() -> None:
    strings = _strings()
    assert set(strings) == {"en", "de", "fr", "es", "it"}
    keys = set(strings["en"])
    assert CART_KEYS <= keys
    for lang, table in strings.items():
        assert set(table) == keys, (lang, keys ^ set(table))
        for key in CART_KEYS:
            text = table[key]
            assert isinstance(text, str) and text.strip(), (lang, key)
        for key, value in table.items():  # placeholders survive translation
            english = strings["en"][key]
            if isinstance(value, str) and isinstance(english, str):
                assert {p for p in PLACEHOLDERS if p in value} == {
                    p for p in PLACEHOLDERS if p in english
                }, (lang, key)
