"""``shopassist import shopify|woocommerce|jsonl PATH`` and ``shopassist export jsonl PATH``
through the real entry point, on a data folder of the test's own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import get_settings
from serving.cli import main
from tests.catalog.sync.helpers import SHOPIFY_CSV, WOO_CSV, write_csv


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """SHOP_DATA_DIR under tmp_path, read afresh by ``main`` (no cached settings, no .env)."""
    var = tmp_path / "var"
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("SHOP_DATA_DIR", str(var))
    for name in ("SHOP_DATABASE_URL", "SHOP_WIDGET__CURRENCY", "SHOP_RETRIEVAL__CHROMA_PATH"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield var
    get_settings.cache_clear()


def test_import_json_prints_the_report_then_export_writes_every_product(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "shopify", str(SHOPIFY_CSV), "--json", "--currency", "eur"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)  # stdout holds the JSON report alone
    assert report["source"] == "shopify" and report["path"] == str(SHOPIFY_CSV)
    assert (report["rows"], report["products"], report["variants"], report["images"]) == (
        21,
        20,
        21,
        21,
    )
    assert (report["created"], report["updated"], report["unchanged"]) == (20, 0, 0)
    assert report["skipped"] == [] and report["replaced_demo"] is False
    assert report["embedded"] == 20 and report["recommender"] == "retrained"
    assert report["currency"] == "EUR" and report["peak_rss_mb"] > 0
    assert (data_dir / "shop.db").is_file()

    target = tmp_path / "out" / "catalog.jsonl"
    assert main(["export", "jsonl", str(target)]) == 0
    assert f"exported 20 products to {target}" in capsys.readouterr().out
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20
    ids = [json.loads(line)["id"] for line in lines]
    assert ids == sorted(ids) and "floor-lamp" in ids

    # the export imports back as it is: nothing to write, nothing to embed
    assert main(["import", "jsonl", str(target), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["products"], again["unchanged"], again["embedded"]) == (20, 20, 0)
    assert again["recommender"] == "current"


def test_a_dry_run_prints_a_readable_summary_with_the_skipped_rows(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        ["Handle", "Title", "Variant Price", "Status"],
        [
            {"Handle": "mug", "Title": "Mug", "Variant Price": "8"},
            {"Handle": "old", "Title": "Old", "Variant Price": "8", "Status": "archived"},
        ],
    )
    assert main(["import", "shopify", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"imported {path} (shopify): 1 products" in out
    assert "skipped 1 row(s):" in out and "row 3" in out and "old: archived" in out
    assert "dry run: nothing was written" in out
    assert main(["export", "jsonl", str(tmp_path / "e.jsonl")]) == 0
    assert "exported 0 products" in capsys.readouterr().out


def test_woocommerce_dry_run_json_lists_the_grouped_product(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "woocommerce", str(WOO_CSV), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["products"], report["variants"]) == (17, 28)
    assert [s["key"] for s in report["skipped"]] == ["logo-collection"]


def test_errors_exit_2_with_a_message(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.csv"
    assert main(["import", "shopify", str(missing)]) == 2
    captured = capsys.readouterr()
    # (a warning another test's closed event loop logs when collected may come first)
    errors = [ln for ln in captured.err.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "nope.csv" in errors[0], captured.err
    assert captured.out == ""

    assert main(["import", "shopify", str(SHOPIFY_CSV), "--currency", "euros", "--dry-run"]) == 2
    assert "error:" in capsys.readouterr().err

    wrong = write_csv(tmp_path / "w.csv", ["Name", "Price"], [{"Name": "x", "Price": "1"}])
    assert main(["import", "shopify", str(wrong)]) == 2
    assert "lacks the column(s) Handle" in capsys.readouterr().err

    with pytest.raises(SystemExit) as exited:
        main(["import", "magento", str(SHOPIFY_CSV)])
    assert exited.value.code == 2
