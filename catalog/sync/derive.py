"""Read what the assistant needs from a merchant's product data, not from a demo schema.

Real catalogs put a product's kind, features and material in different places: a
``Type`` column or none, a taxonomy path ("Apparel & Accessories > Clothing > Shirts"),
tags (some of them filters such as ``color:blue`` or internal codes), metafields, and
the HTML body. Each function here takes the first good source and cleans it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from catalog.sync.records import ProductRecord

_BLOCK_TAGS = {"p", "br", "li", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
_SKIP_TAGS = {"script", "style", "iframe", "noscript", "svg"}
MAX_FEATURES = 12
MAX_DESCRIPTION = 4000

# Materials a body text names ("100% organic cotton", "made of solid oak").
MATERIALS = (
    "acrylic", "alpaca", "aluminium", "aluminum", "bamboo", "beeswax", "brass", "bronze",
    "canvas", "cashmere", "ceramic", "chiffon", "coconut wax", "copper", "cork", "cotton",
    "denim", "down", "elastane", "fleece", "glass", "gold", "hemp", "jute", "leather",
    "linen", "lycra", "marble", "merino", "merino wool", "mesh", "metal", "modal", "mohair",
    "nylon", "oak", "organic cotton", "paper", "pine", "plastic", "polyamide", "polyester",
    "porcelain", "rattan", "rayon", "recycled polyester", "resin", "rubber", "satin",
    "silicone", "silk", "silver", "soy wax", "spandex", "stainless steel", "steel",
    "sterling silver", "stoneware", "suede", "teak", "titanium", "velvet", "viscose",
    "walnut", "wood", "wool",
)  # fmt: skip
_MATERIAL_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(m) for m in MATERIALS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# Words after which a title's head noun has ended ("Ring - Silver", "Tee (Unisex)").
_TITLE_CUT = re.compile(r"\s+[-–—|/]\s+|[(\[,:]")
_NOT_HEAD = re.compile(r"^(\d.*|x{0,3}[sml]|xx?l|one|size|pack|set|of|with|and|for|the|new)$", re.I)
# Tags that are storefront filters or bookkeeping, not features.
_TAG_NOISE = re.compile(
    r"[_=#@{}]|^\d+$|^(new|sale|all|featured|default|hidden|bestseller)s?$", re.I
)
_FEATURE_KEYS = ("feature", "features", "style", "fit", "occasion", "pattern", "finish")
_MATERIAL_KEYS = ("material", "materials", "fabric", "composition")


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(raw: str) -> str:
    """Return the readable text of an HTML fragment: tags gone, entities decoded."""
    if "<" not in raw and "&" not in raw:
        return " ".join(raw.split())
    parser = _TextOf()
    parser.feed(raw)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)[:MAX_DESCRIPTION]


def description_of(record: ProductRecord) -> str:
    """Return the plain-text description (``description``, else the HTML body's text)."""
    if record.description is not None:
        return record.description.strip()[:MAX_DESCRIPTION]
    return html_text(record.body_html or "")


def title_head(title: str, vendor: str = "") -> str:
    """Return the head noun of a title: "Gemstone Ring - Silver" → "Ring".

    A leading brand part ("VELOFANT - Wheelset", the vendor or one upper-case word) is
    skipped.
    """
    parts = [p.strip() for p in _TITLE_CUT.split(title) if p and p.strip()]
    if len(parts) > 1 and (
        parts[0].lower() == vendor.lower().strip() or re.fullmatch(r"[A-Z0-9]{2,}", parts[0])
    ):
        parts = parts[1:]
    first = parts[0] if parts else title
    tokens = [t for t in re.findall(r"[^\W\d_][\w'-]*", first) if not _NOT_HEAD.match(t)]
    if not tokens:
        return ""
    # a short last word is half of a compound ("Watering Can", "Logo Tee")
    head = " ".join(tokens[-2:]) if len(tokens[-1]) < 4 and len(tokens) > 1 else str(tokens[-1])
    return head[:1].upper() + head[1:]


def category_leaf(category: str | None) -> str:
    """Return the last level of a taxonomy path ("A > B > Shirts" → "Shirts")."""
    if not category:
        return ""
    leaf = re.split(r"\s*>\s*", category.strip())[-1]
    return " ".join(leaf.split())


# Type values that say nothing about the product.
_NO_TYPE = {"uncategorized", "uncategorised", "default", "other", "others", "misc", "none"}
_NO_TYPE |= {"n/a", "na", "general", "product", "products", "all", "-", "null"}


def derive_type(record: ProductRecord) -> str:
    """Return the product's type: its Type, else its category's leaf, else its title's head."""
    head = title_head(record.title, record.vendor)
    for candidate in (record.type, category_leaf(record.category), head):
        if candidate and candidate.strip() and candidate.strip().lower() not in _NO_TYPE:
            return " ".join(candidate.split())[:200]
    return ""


def _keyed(record: ProductRecord, keys: tuple[str, ...]) -> list[str]:
    """Values of metafields and ``key:value`` tags whose key is one of ``keys``."""
    out: list[str] = []
    for name, value in record.metafields.items():
        low = name.lower()
        if any(k in re.split(r"[^a-z]+", low) for k in keys):
            out.extend(v.strip() for v in re.split(r"[;,|]", value) if v.strip())
    for tag in record.tags:
        key, sep, value = tag.partition(":")
        if sep and key.strip().lower() in keys and value.strip():
            out.append(value.strip())
    return out


def derive_material(record: ProductRecord, text: str) -> str:
    """Return the material: the record's, a material metafield or tag, else the body's."""
    if record.material:
        return record.material.strip()
    keyed = _keyed(record, _MATERIAL_KEYS)
    if keyed:
        return keyed[0][:200]
    found = _MATERIAL_RE.search(f"{record.title}\n{text}")
    return found.group(1).lower() if found else ""


def derive_features(record: ProductRecord, ptype: str) -> list[str]:
    """Return features: the record's, else feature metafields and the tags that are words."""
    if record.features is not None:
        return [f for f in (" ".join(x.split()) for x in record.features) if f][:MAX_FEATURES]
    skip = {ptype.lower(), record.vendor.lower(), record.title.lower(), ""}
    # a tag that is a word of the title ("Lamp", "Black" on "Black Lamp") adds nothing
    skip |= {w.lower() for w in re.findall(r"[^\W_]+", record.title)}
    out: dict[str, str] = {}
    for value in _keyed(record, _FEATURE_KEYS):
        out.setdefault(value.lower(), value)
    for tag in record.tags:
        if ":" in tag or _TAG_NOISE.search(tag) or len(tag) > 40 or len(tag.split()) > 4:
            continue
        if tag.lower() not in skip:
            out.setdefault(tag.lower(), tag)
    return list(out.values())[:MAX_FEATURES]


def _stem(word: str) -> str:
    word = word.lower()
    for tail in ("ies", "es", "s"):
        if len(word) > 4 and word.endswith(tail):
            return word[: -len(tail)] + ("y" if tail == "ies" else "")
    return word


def settle_types(records: list[ProductRecord]) -> list[str]:
    """Turn ``Type`` values that name a department, not a kind of product, into categories.

    Shops often put "Indoor" / "Outdoor" or a season in ``Type``. Such a value is read as
    a department when the titles and tags of its products hardly mention it (under 20%)
    while their titles name at least 3 kinds of product: then each product takes its
    title's kind as type, and the value becomes its category if it has none (so a shopper
    who names the department still finds it). Returns the values so treated.
    """
    heads = {r.id: _stem(title_head(r.title, r.vendor)) for r in records}
    by_type: dict[str, list[ProductRecord]] = {}
    for r in records:
        if r.type and r.type.strip():
            by_type.setdefault(r.type.strip(), []).append(r)
    vague: list[str] = []
    for ptype, members in by_type.items():
        word = _stem(re.findall(r"[^\W\d_]+", ptype)[-1]) if re.search(r"[^\W\d_]", ptype) else ""
        said = sum(
            1 for r in members if word and word in (r.title + " " + " ".join(r.tags)).lower()
        )
        kinds = {heads[r.id] for r in members if heads[r.id]}
        if said < 0.2 * len(members) and len(kinds) >= 3:
            vague.append(ptype)
            for r in members:
                if not r.category:
                    r.category = ptype
                r.type = title_head(r.title, r.vendor) or ptype
    return vague
