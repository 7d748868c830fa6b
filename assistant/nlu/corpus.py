"""The phrasing corpus: template families filled with catalog and customer values.

Templates (``evals/nlu/templates/<lang>.yaml``, format in ``FORMAT.md`` there) are written
by hand in many registers; this module fills their placeholders with the catalog's words
(types, categories, features, colours, sizes, options and their synonyms in each
language), customer identities and price expressions (digits, words, currencies), and
records every slot with its character span. Families, not utterances, are split into
train and test, so the test measures phrasings the reader never saw.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.nlu.numbers import say_number
from retrieval.lexicon import BASE_COLORS, fold, load_synonyms

INTENTS = (
    "search", "refine", "ask_product", "compare", "reviews", "recommend", "authenticate",
    "order_status", "start_write", "confirm", "deny", "handoff", "translate", "describe",
    "smalltalk", "capabilities", "out_of_scope", "cart",
)  # fmt: skip
LANGS = ("en", "de", "fr", "es", "it")
LITERAL_SLOTS = {"item", "write", "sort", "order", "target_lang", "cart", "currency"}
PLACEHOLDERS = {
    "product", "product2", "category", "missing", "feature", "color", "color_not", "size",
    "option", "budget_max", "budget_min", "budget_about", "email", "name", "zip", "order_id",
    "brand",
}  # fmt: skip
# placeholders that are plain words of the message, no slot: a product's brand or model
# ("the {brand} one") is whatever a merchant sells, and reads as no intent of its own
UNLABELLED = {"brand"}
_PIECE = re.compile(r"\{(\w+)\}|\[([^\]]+)\]\((\w+)=([^)]+)\)")
_PRICES = (15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 75, 80, 90, 100, 120, 150, 200, 250, 300, 500)
_MONEY: dict[str, list[tuple[str, str | None]]] = {
    # (format, currency it names); {n} digits, {w} words
    "en": [("{n}", None), ("${n}", None), ("{n} dollars", None), ("{n} bucks", None),
           ("{w}", None), ("{w} bucks", None), ("{w} dollars", None), ("£{n}", "GBP"),
           ("{n} usd", None), ("{n}$", None), ("{n} euros", "EUR"), ("€{n}", "EUR")],
    "de": [("{n}", None), ("{n} €", "EUR"), ("{n}€", "EUR"), ("{n} Euro", "EUR"),
           ("{n} euro", "EUR"), ("{n},-", None), ("{w}", None), ("{w} Euro", "EUR"),
           ("{n} EUR", "EUR"), ("${n}", None), ("{n} Dollar", None), ("{n} Öcken", None)],
    "fr": [("{n}", None), ("{n} €", "EUR"), ("{n}€", "EUR"), ("{n} euros", "EUR"),
           ("{w} euros", "EUR"), ("{w}", None), ("{n} balles", None), ("{n} dollars", None),
           ("{n} eur", "EUR")],
    "es": [("{n}", None), ("{n} €", "EUR"), ("{n}€", "EUR"), ("{n} euros", "EUR"),
           ("{w} euros", "EUR"), ("{w}", None), ("{n} pavos", None), ("${n}", None),
           ("{n} dólares", None), ("{n} dolares", None)],
    "it": [("{n}", None), ("{n} €", "EUR"), ("{n}€", "EUR"), ("{n} euro", "EUR"),
           ("{w} euro", "EUR"), ("{w}", None), ("{n} dollari", None), ("€ {n}", "EUR")],
}  # fmt: skip


@dataclass(frozen=True)
class Span:
    """A labelled slot: ``text[start:end]`` says ``slot`` = ``value``."""

    start: int
    end: int
    slot: str
    value: str


@dataclass
class Utterance:
    """One labelled message of the corpus."""

    text: str
    lang: str
    intent: str
    family: str = ""
    register: str = ""
    spans: list[Span] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # slots without a span
    context: str = ""

    @property
    def slots(self) -> list[tuple[str, str]]:
        """Every (slot, normalized value) pair of the utterance."""
        return [(s.slot, s.value) for s in self.spans] + list(self.extra)


@dataclass(frozen=True)
class Family:
    """A family of templates: one way of phrasing one request, in a few variants."""

    id: str
    lang: str
    intent: str
    register: str
    templates: tuple[str, ...]


class CorpusError(ValueError):
    """A template file breaks the format (unknown intent, placeholder or slot)."""


def load_families(folder: Path) -> list[Family]:
    """Read and check every ``<lang>*.yaml`` template file in ``folder`` (``de.yaml``, …)."""
    families: list[Family] = []
    seen: set[str] = set()
    paths = [(lang, p) for lang in LANGS for p in sorted(folder.glob(f"{lang}*.yaml"))]
    for lang, path in paths:
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            fam = Family(
                id=str(raw["family"]),
                lang=lang,
                intent=str(raw["intent"]),
                register=str(raw.get("register", "")),
                templates=tuple(str(t) for t in raw["templates"]),
            )
            if fam.id in seen:
                raise CorpusError(f"{path}: family {fam.id!r} appears twice")
            if fam.intent not in INTENTS:
                raise CorpusError(f"{path}: family {fam.id}: unknown intent {fam.intent!r}")
            for template in fam.templates:
                for m in _PIECE.finditer(template):
                    if m.group(1) and m.group(1) not in PLACEHOLDERS:
                        raise CorpusError(f"{path}: {fam.id}: unknown placeholder {m.group(0)}")
                    if m.group(3) and m.group(3) not in LITERAL_SLOTS:
                        raise CorpusError(f"{path}: {fam.id}: unknown literal slot {m.group(0)}")
            seen.add(fam.id)
            families.append(fam)
    return families


def split_families(
    families: list[Family], test_share: int = 5, offset: int = 2
) -> tuple[set[str], set[str]]:
    """Split family ids into (train, test), by family.

    Every ``test_share``-th family of each language-and-intent group is a test family;
    groups of fewer than 3 stay in train.

    ``offset`` picks which one; a development split of the train families uses another.
    """
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for fam in families:
        groups[(fam.lang, fam.intent)].append(fam.id)
    train: set[str] = set()
    test: set[str] = set()
    for ids in groups.values():
        for i, fid in enumerate(sorted(ids)):
            (test if len(ids) >= 3 and i % test_share == offset else train).add(fid)
    return train, test


@dataclass
class CatalogFillers:
    """Values to fill placeholders with: the catalog's words and customer data."""

    types: dict[str, tuple[str, list[str], dict[str, list[str]]]]
    synonyms: dict[str, Any]
    fillers: dict[str, Any]

    @classmethod
    def demo(cls, fillers_path: Path, synonyms_path: Path | None = None) -> CatalogFillers:
        """Return the demo store's catalog, the default synonym file and ``fillers.yaml``."""
        from catalog.demo_data import CATEGORIES

        types = {
            t["name"]: (cat, list(t["features"]), {k: list(v) for k, v in t["options"].items()})
            for cat, ts in CATEGORIES.items()
            for t in ts
        }
        data = yaml.safe_load(fillers_path.read_text(encoding="utf-8"))
        return cls(types, load_synonyms(synonyms_path), data)

    def words(self, kind: str, value: str, lang: str) -> list[str]:
        """Return the words for catalog ``value`` of ``kind`` in ``lang`` (and its own name)."""
        own = [value] if lang == "en" else []
        return own + [str(w) for w in (self.synonyms.get(kind, {}).get(value) or {}).get(lang, [])]


class Generator:
    """Fills templates; every call with the same seed gives the same corpus."""

    def __init__(self, catalog: CatalogFillers, seed: int = 7) -> None:
        """Draw values from ``catalog`` with a seeded random generator."""
        self.cat = catalog
        self.rng = random.Random(seed)
        self.categories = sorted({c for c, _, _ in catalog.types.values()})

    def fill(self, fam: Family, template: str) -> Utterance:
        """Fill one template once."""
        rng = self.rng
        lang = fam.lang
        ptype = rng.choice(sorted(self.cat.types))
        budgets = sorted(rng.sample(_PRICES, 2))
        text = ""
        spans: list[Span] = []
        extra: list[tuple[str, str]] = []
        pos = 0
        for m in _PIECE.finditer(template):
            text += template[pos : m.start()]
            pos = m.end()
            if m.group(2):  # a literal slot
                surface, slot, value = m.group(2), m.group(3), m.group(4)
                spans.append(Span(len(text), len(text) + len(surface), slot, value))
                text += surface
                continue
            name = m.group(1)
            if name in UNLABELLED:
                text += self._brand()
                continue
            surface, value, money_currency = self._value(name, lang, ptype, budgets)
            slot = "product" if name == "product2" else name
            spans.append(Span(len(text), len(text) + len(surface), slot, value))
            if money_currency:
                extra.append(("currency", money_currency))
            text += surface
        text += template[pos:]
        utt = Utterance(text, lang, fam.intent, fam.id, fam.register, spans, extra)
        return self._noise(utt)

    def _brand(self) -> str:
        """Return a brand, alone or with a model ("kestrel", "Nimbus Cascade 8")."""
        from catalog.demo_data import BRANDS, MODEL_WORDS

        rng = self.rng

        brand = rng.choice([*BRANDS, *self.cat.fillers.get("brands", [])])
        shape = rng.random()
        if shape < 0.5:
            words = brand
        elif shape < 0.75:
            words = f"{brand} {rng.choice(MODEL_WORDS)}"
        else:
            words = f"{brand} {rng.choice(MODEL_WORDS)} {rng.randint(1, 9)}"
        return str(words.lower() if rng.random() < 0.5 else words)

    def _value(
        self, name: str, lang: str, ptype: str, budgets: list[int]
    ) -> tuple[str, str, str | None]:
        rng = self.rng
        cat = self.cat
        category, features, options = cat.types[ptype]
        if name in ("product", "product2"):
            if name == "product2":
                ptype = rng.choice([t for t in sorted(cat.types) if t != ptype])
            words = cat.words("types", ptype, lang) or [ptype]
            surface = rng.choice(words)
            return (surface.lower() if rng.random() < 0.5 else surface), ptype, None
        if name == "category":
            category = rng.choice(self.categories)
            return rng.choice(cat.words("categories", category, lang) or [category]), category, None
        if name == "missing":
            word = rng.choice(cat.fillers["missing"][lang])
            return word, word.lower(), None
        if name == "feature":
            pool = [f for f in features if cat.words("features", f, lang)] or [
                f for t in cat.types.values() for f in t[1] if cat.words("features", f, lang)
            ]
            feat = rng.choice(pool)
            return rng.choice(cat.words("features", feat, lang)), feat, None
        if name in ("color", "color_not"):
            color = rng.choice(sorted(cat.synonyms.get("colors") or BASE_COLORS))
            return rng.choice(cat.words("colors", color, lang) or [color]), color, None
        if name == "size":
            sizes = options.get("size") or rng.choice(
                [["6", "7", "8", "9", "10", "11"], ["XS", "S", "M", "L", "XL"]]
            )
            size = rng.choice(list(sizes))
            return (size.lower() if rng.random() < 0.2 else size), size, None
        if name == "option":
            pool = [v for k, vs in options.items() if k not in ("color", "size") for v in vs] or [
                v
                for t in cat.types.values()
                for k, vs in t[2].items()
                if k not in ("color", "size")
                for v in vs
            ]
            value = rng.choice(pool)
            return value, value, None
        if name.startswith("budget_"):
            amount = {"budget_min": budgets[0], "budget_max": budgets[1]}.get(name, budgets[1])
            fmt, currency = rng.choice(_MONEY[lang])
            surface = fmt.format(n=amount, w=say_number(amount, lang))
            return surface, str(amount), currency
        first = rng.choice(cat.fillers["first_names"])
        last = rng.choice(cat.fillers["last_names"])
        if name == "name":
            surface = f"{first} {last}"
            return (surface.lower() if rng.random() < 0.3 else surface), surface, None
        if name == "email":
            local = _ascii(
                rng.choice(
                    [
                        f"{first}.{last}",
                        f"{first}{last}",
                        f"{first[0]}{last}",
                        f"{first}_{last}{rng.randint(1, 99)}",
                    ]
                )
            )
            email = f"{local}@{rng.choice(cat.fillers['email_domains'])}".lower()
            return email, email, None
        if name == "zip":
            zip_code = (
                f"{rng.randint(0, 99999):05d}"
                if rng.random() < 0.3
                else str(rng.randint(10000, 99999))
            )
            return zip_code, zip_code, None
        digits = str(rng.randint(1000000, 9999999))
        surface = rng.choice([f"W{digits}", f"#W{digits}", f"w{digits}", f"#w{digits}"])
        return surface, f"#W{digits}", None

    def _noise(self, utt: Utterance) -> Utterance:
        """Shoppers' typing: all lower case, no accents, no end punctuation, a swapped pair."""
        rng = self.rng
        text = utt.text
        if rng.random() < 0.3:
            text = text.lower()
        if rng.random() < 0.25:
            text = "".join(_plain(c) for c in text)
        if rng.random() < 0.2:
            inside = [(s.start, s.end) for s in utt.spans]
            words = [
                m for m in re.finditer(r"[^\W\d_]{5,}", text)
                if not any(a < m.end() and m.start() < b for a, b in inside)
            ]  # fmt: skip
            if words:
                w = rng.choice(words)
                i = rng.randint(w.start() + 1, w.end() - 2)
                text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        utt.text = text
        return utt

    def corpus(self, families: list[Family], per_template: int = 4) -> Iterator[Utterance]:
        """Every template of every family, filled ``per_template`` times."""
        for fam in families:
            for template in fam.templates:
                for _ in range(per_template):
                    yield self.fill(fam, template)


def _plain(char: str) -> str:
    """Return the same character without its accent (one character for one, so spans stay put)."""
    base = unicodedata.normalize("NFKD", char)[:1]
    return base if base and len(char) == 1 else char


def _ascii(text: str) -> str:
    return "".join(_plain(c) for c in text).replace("'", "").replace(" ", "")


def load_natural(folder: Path) -> list[Utterance]:
    """Read the hand-written natural set (``<lang>.yaml``: text, intent, slots, context)."""
    out: list[Utterance] = []
    for lang in LANGS:
        path = folder / f"{lang}.yaml"
        if not path.exists():
            continue
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            extra: list[tuple[str, str]] = []
            for slot, value in (raw.get("slots") or {}).items():
                for v in value if isinstance(value, list) else [value]:
                    extra.append((str(slot), normalize_value(str(slot), v)))
            out.append(
                Utterance(
                    str(raw["text"]), lang, str(raw["intent"]), extra=extra,
                    context=str(raw.get("context") or ""),
                )
            )  # fmt: skip
    return out


def normalize_value(slot: str, value: Any) -> str:
    """Return the comparable form of a slot value ("30.0" and 30 are the same budget)."""
    if slot.startswith("budget_") or slot == "item":
        try:
            number = float(value)
            return str(int(number)) if number.is_integer() else str(number)
        except (TypeError, ValueError):
            return str(value)
    if slot in ("email", "missing"):
        return fold(str(value).strip())
    if slot == "name":
        return " ".join(w[:1].upper() + w[1:] for w in fold(str(value)).split())
    if slot == "order_id":
        digits = re.sub(r"\D", "", str(value))
        return f"#W{digits}"
    return str(value).strip()
