"""Type, features, material and text read from where real catalogs keep them."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.sync.derive import (
    MAX_FEATURES,
    category_leaf,
    derive_features,
    derive_material,
    derive_type,
    description_of,
    html_text,
    title_head,
)
from catalog.sync.records import ProductRecord


def _record(**fields: Any) -> ProductRecord:
    data: dict[str, Any] = {"id": "p", "title": "Thing", "variants": [{"price": 1}]} | fields
    return ProductRecord.model_validate(data)


def test_html_text_strips_tags_and_scripts_and_decodes_entities() -> None:
    raw = (
        "<h2>Soft &amp; warm</h2><script>alert('x')</script><style>p{color:red}</style>"
        "<p>Made in&nbsp;Portugal &ndash; 100&#37; cotton</p><ul><li>Machine   wash</li>"
        "<li>Tumble dry</li></ul><p>5 &lt; 6</p>"
    )
    text = html_text(raw)
    assert text.split("\n") == [
        "Soft & warm",
        "Made in Portugal – 100% cotton",
        "Machine wash",
        "Tumble dry",
        "5 < 6",
    ]
    assert "alert" not in text and "color" not in text and "<" not in text.replace("5 < 6", "")


def test_html_text_of_plain_text_only_folds_spaces() -> None:
    assert html_text("  plain\n text  ") == "plain text"
    assert html_text("") == ""


def test_description_prefers_the_plain_description_over_the_html_body() -> None:
    assert description_of(_record(description=" Plain. ", body_html="<p>Html</p>")) == "Plain."
    assert description_of(_record(body_html="<p>Html &amp; more</p>")) == "Html & more"
    assert description_of(_record()) == ""


@pytest.mark.parametrize(
    ("title", "head"),
    [
        ("Gemstone Ring - Silver", "Ring"),
        ("Merino Wool Sweater (Unisex)", "Sweater"),
        ("Trail Running Shoes | Men's", "Shoes"),
        ("Classic T-Shirt XL", "T-Shirt"),
        ("candle, 3 pack", "Candle"),
        ("2024", ""),
    ],
)
def test_title_head(title: str, head: str) -> None:
    assert title_head(title) == head


def test_category_leaf() -> None:
    assert category_leaf("Apparel & Accessories > Clothing >  Shirts ") == "Shirts"
    assert category_leaf("Music") == "Music"
    assert category_leaf(None) == ""


def test_derive_type_falls_back_type_then_category_leaf_then_title_head() -> None:
    category = "Apparel & Accessories > Jewelry > Rings"
    title = "Gemstone Ring - Silver"
    assert derive_type(_record(title=title, type="  Fine   Rings ", category=category)) == (
        "Fine Rings"
    )
    assert derive_type(_record(title=title, category=category)) == "Rings"
    assert derive_type(_record(title=title)) == "Ring"
    # placeholders say nothing: the next source is used
    assert derive_type(_record(title=title, type="Uncategorized")) == "Ring"
    assert derive_type(_record(title=title, type="N/A", category="Misc")) == "Ring"
    assert derive_type(_record(title="2024", type="Default")) == ""


def test_features_from_tags_drop_filter_tags_codes_and_names() -> None:
    record = _record(
        title="Trail Jacket",
        vendor="Acme",
        tags=[
            "color:blue", "size_M", "Waterproof", "sale", "1234", "Acme", "Jacket",
            "filter=red", "#summer", "Packable", "a tag that has far too many words in it",
            "style:Casual",
        ],
    )  # fmt: skip
    assert derive_features(record, "Jacket") == ["Casual", "Waterproof", "Packable"]


def test_features_from_metafields_and_the_records_own_features() -> None:
    record = _record(metafields={"Features (custom.features)": "Breathable; Quick-dry"})
    assert derive_features(record, "") == ["Breathable", "Quick-dry"]
    own = _record(features=["  Hand  made ", "", "Vegan"], tags=["Ignored"])
    assert derive_features(own, "") == ["Hand made", "Vegan"]
    many = _record(tags=[f"feature {n}" for n in range(30)])
    assert len(derive_features(many, "")) == MAX_FEATURES


def test_material_from_the_record_a_metafield_a_tag_or_the_body() -> None:
    assert derive_material(_record(material=" Oak "), "made of pine") == "Oak"
    assert derive_material(_record(metafields={"Material": "Linen, Cotton"}), "") == "Linen"
    assert derive_material(_record(metafields={"custom.fabric": "Silk"}), "") == "Silk"
    assert derive_material(_record(tags=["material:Bamboo"]), "") == "Bamboo"
    # the longest name found in the title and body
    assert derive_material(_record(), "Made of 100% Organic Cotton.") == "organic cotton"
    assert derive_material(_record(title="Stainless Steel Bottle"), "") == "stainless steel"
    assert derive_material(_record(), "A golden colour for sunglasses") == ""
