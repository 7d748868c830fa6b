"""Import a 10,000-product Shopify export, then import it again unchanged.

The export is generated (seeded) in Shopify's own column layout: 10,000 handles with
1-3 variants each (size and colour options), images, tags, HTML bodies and a few bad
rows. Each import runs as the real command (``shopassist import shopify FILE --json``)
in a fresh data folder, so time and peak memory are the command's own. The second
import must write nothing and embed 0 products.

Writes ``bench/results/import_scale.json``.

    python bench/import_scale.py [--products 10000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ADJ = (
    "soft warm light heavy classic modern rustic vintage compact deluxe slim sturdy bright".split()
)
MAT = "cotton wool linen leather oak walnut steel ceramic glass bamboo silk canvas".split()
NOUN = (
    "shirt sweater jacket scarf lamp chair table mug bowl vase rug blanket pillow backpack "
    "wallet belt candle planter kettle teapot notebook frame clock basket towel apron"
).split()
COLORS = ["Red", "Blue", "Green", "Black", "White", "Grey"]
SIZES = ["S", "M", "L", "XL"]
HEADER = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Variant SKU",
    "Variant Inventory Tracker", "Variant Inventory Qty", "Variant Inventory Policy",
    "Variant Price", "Variant Compare At Price", "Image Src", "Image Position", "Image Alt Text",
    "Status",
]  # fmt: skip


def generate(path: Path, products: int, seed: int = 11) -> dict[str, int]:
    """Write the export; return how many products, variants, images and bad rows it has."""
    rng = random.Random(seed)
    counts = {"products": 0, "variants": 0, "images": 0, "bad_rows": 0}
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, HEADER)
        out.writeheader()
        for i in range(products):
            noun, mat, adj = rng.choice(NOUN), rng.choice(MAT), rng.choice(ADJ)
            title = f"{adj.title()} {mat.title()} {noun.title()} {i:05d}"
            handle = f"{adj}-{mat}-{noun}-{i:05d}"
            sizes = rng.sample(SIZES, rng.randint(1, 3))
            color = rng.choice(COLORS)
            img = f"https://cdn.example.com/p/{handle}.jpg"
            for n, size in enumerate(sizes):
                row = {
                    "Handle": handle, "Option1 Value": size, "Option2 Value": color,
                    "Variant SKU": f"SKU-{i:05d}-{size}", "Variant Inventory Tracker": "shopify",
                    "Variant Inventory Qty": str(rng.randint(0, 20)),
                    "Variant Inventory Policy": "deny",
                    "Variant Price": f"{rng.uniform(5, 300):.2f}",
                }  # fmt: skip
                if n == 0:
                    row |= {
                        "Title": title, "Vendor": rng.choice(["Northwind", "Fabrikam", "Contoso"]),
                        "Body (HTML)": f"<p>A {adj} {noun} made of <b>{mat}</b>.</p>",
                        "Type": noun.title(), "Tags": f"{mat}, {adj}, color:{color.lower()}",
                        "Published": "TRUE", "Option1 Name": "Size", "Option2 Name": "Color",
                        "Image Src": img, "Image Position": "1", "Image Alt Text": title,
                        "Status": "active",
                    }  # fmt: skip
                    counts["images"] += 1
                out.writerow(row)
                counts["variants"] += 1
            counts["products"] += 1
            if i % 2500 == 1:  # a bad row: a price that is not a number
                out.writerow({"Handle": handle, "Option1 Value": "XXL", "Variant Price": "n/a"})
                counts["bad_rows"] += 1
    return counts


def run_import(path: Path, data_dir: str) -> dict[str, object]:
    """Run the import command; return its JSON report and wall time."""
    env = os.environ | {"SHOP_DATA_DIR": data_dir}
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "serving.cli", "--log-level", "ERROR", "import", "shopify",
           str(path), "--json"]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    report["wall_seconds"] = round(wall, 1)
    report["skipped"] = len(report["skipped"])
    return report


def main() -> int:
    """Generate, import twice, and write the result."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--products", type=int, default=10_000)
    ap.add_argument("--out", type=Path, default=Path("bench/results/import_scale.json"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="import-scale-") as tmp:
        export = Path(tmp) / "products_export.csv"
        expected = generate(export, args.products)
        data_dir = str(Path(tmp) / "data")
        first = run_import(export, data_dir)
        second = run_import(export, data_dir)
    keys = ("products", "variants", "images", "created", "updated", "unchanged", "skipped",
            "embedded", "recommender", "wall_seconds", "peak_rss_mb")  # fmt: skip
    result = {
        "expected": expected,
        "first_import": {k: first[k] for k in keys},
        "second_import": {k: second[k] for k in keys},
        "counts_equal": (first["products"], first["variants"], first["images"], first["skipped"])
        == (expected["products"], expected["variants"], expected["images"], expected["bad_rows"]),
        "reimport_embedded": second["embedded"],
        "cpu_count": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0 if result["counts_equal"] and second["embedded"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
