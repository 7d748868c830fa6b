"""A shop's words: its product types, categories, features, colours and option values.

Built from the store's own catalog, plus a per-shop synonym file (``SHOP_RETRIEVAL__SYNONYMS``;
the default, ``lexicon_default.yaml``, covers the demo store in en/de/fr/es/it): types,
categories, colours, features, and option values by option name ("fest" → firmness firm). The
reader tags a message's words against it, and resolves every product or option word it
keeps to one of these canonical names, so a merchant's own catalog works without code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from retrieval.documents import ProductDoc
from retrieval.plurals import plural_variants
from retrieval.vocabulary import CatalogVocabulary, join_thousands, stem
from retrieval.word_forms import (
    english_colour_forms,
    german_adjective_forms,
    superlative_forms,
)

DEFAULT_SYNONYMS = Path(__file__).with_name("lexicon_default.yaml")
KINDS = ("type", "category", "feature", "color", "option", "size", "cue")
_WORD = re.compile(r"\d+(?::\d+)+|[^\W_]+(?:['’-][^\W_]+)*")  # (a scale "1:10" is one word)
# Colour words every shop understands; a shop's own colour option values are added.
BASE_COLORS = (
    "black", "white", "navy", "gray", "red", "blue", "green", "brown", "olive", "tan",
    "orange", "yellow", "pink", "purple", "beige",
)  # fmt: skip


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents ("Größe" → "grosse", "léger" → "leger")."""
    text = text.lower().replace("ß", "ss").replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def phrase_keys(text: str) -> tuple[str, ...]:
    """Return the matching keys of a phrase's words (folded, no hyphens/apostrophes, stemmed).

    An elided article is a word of its own ("d'acqua" → "d", "acqua"), as messages are
    split into tokens.
    """
    text = _ELISION.sub(lambda m: f"{m.group(0)[:-1]} ", text)
    text = join_thousands(text)  # "20.000 mAh"
    return tuple(stem(re.sub(r"['-]", "", fold(w))) for w in _WORD.findall(text))


# an elided article at a word's start, as the message tokenizer splits it off
_ELISION = re.compile(
    r"(?<![\w'’])(?:[cdjlmnst]|qu|dell|all|nell|sull|dall|un)['’](?=[^\W\d_])", re.IGNORECASE
)


@dataclass(frozen=True)
class Entry:
    """One canonical catalog value: ``kind`` (type, category, …) and its name."""

    kind: str
    value: str
    option: str = ""  # for kind "option": the option's name ("pieces", "ruling")


@dataclass(frozen=True)
class Match:
    """A run of message words naming ``entries`` (several when the words are ambiguous)."""

    start: int  # first word index
    end: int  # one past the last word index
    entries: tuple[Entry, ...]


@dataclass
class ShopLexicon:
    """Phrases (as word keys) mapped to the catalog values they name."""

    phrases: dict[tuple[str, ...], set[Entry]] = field(default_factory=dict)
    type_category: dict[str, str] = field(default_factory=dict)
    type_features: dict[str, set[str]] = field(default_factory=dict)
    type_options: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    # the languages a phrase is a word of (synonym files say; catalog words are English;
    # a phrase with a digit, or a colour, is in none)
    langs: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    # what a type's feature does, in everyday words ({(type, feature): [gloss, ...]})
    glosses: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # several-word phrases in the plural ("batteries externes"), matched as the phrase
    plurals: dict[tuple[str, ...], set[Entry]] = field(default_factory=dict)
    max_len: int = 1
    _singles: dict[str, list[str]] | None = field(default=None, repr=False)
    _words: set[str] | None = field(default=None, repr=False)
    _heads: dict[str, set[str]] | None = field(default=None, repr=False)
    _joined: set[str] = field(default_factory=set, repr=False)
    _plain: set[str] = field(default_factory=set, repr=False)

    def add(self, phrase: str, entry: Entry, lang: str | None = None) -> None:
        """Let ``phrase`` name ``entry``, also spelt with spaces or hyphens ("t shirt").

        ``lang``: the language ``phrase`` is a word of (None: any, e.g. "27 zoll").
        """
        spellings = {phrase, phrase.replace("-", " "), phrase.replace(" ", "-")}
        if entry.kind in _PLURAL_KINDS:
            # "batteries externes": matched as the phrase, but no head word or word of it
            for plural in plural_variants(phrase.replace("-", " "), lang):
                key = phrase_keys(plural)
                if key not in self.phrases:
                    self.plurals.setdefault(key, set()).add(entry)
                    if lang:
                        self.langs.setdefault(key, set()).add(lang)
        for variant in spellings:
            key = phrase_keys(variant)
            if key:
                if len(key) == 1:
                    # "voiture rc" written "voiture-rc" is no typo target for "voiture"; a
                    # word listed as one word is ("toothbrush")
                    (self._joined if " " in phrase else self._plain).add(key[0])
                self.phrases.setdefault(key, set()).add(entry)
                self.max_len = max(self.max_len, len(key))
                self._singles = None
                self._words = None
                self._heads = None
                if lang and not any(c.isdigit() for c in phrase):
                    self.langs.setdefault(key, set()).add(lang)

    def types_by_head(self, word: str) -> set[str]:
        """Return the types one of whose phrases starts or ends with the word ``word``.

        "la lampe" for a "lampe de bureau", "the lamp" for a "desk lamp": a line of the cart
        named by the head of its type's name. Words of 4+ letters only.
        """
        if self._heads is None:
            heads: dict[str, set[str]] = {}
            for key, entries in self.phrases.items():
                types = {e.value for e in entries if e.kind == "type"}
                for head in {key[0], key[-1]} if types and len(key) > 1 else ():
                    if len(head) >= 4:
                        heads.setdefault(head, set()).update(types)
            self._heads = heads
        keys = phrase_keys(word)
        return set(self._heads.get(keys[0], ())) if len(keys) == 1 else set()

    def speaks(self, keys: list[str], lang: str) -> bool:
        """Whether the phrase of ``keys`` is a word of ``lang``'s shoppers.

        A synonym file's word only in its languages; the catalog's English words, and words
        of no language (numbers, colours), in every language.
        """
        langs = self.langs.get(tuple(keys))
        return not langs or "en" in langs or lang in langs

    def language_of(self, text: str) -> str | None:
        """Return the one language the shop words of ``text`` belong to, if they agree on one.

        "tapis de yoga 6mm" → "fr" ("tapis de yoga" is only French; "6mm" is in any
        language); "yoga mat" → "en"; None when no word has a language, or their languages
        have none in common (a word both French and Spanish leaves the choice open).
        """
        keys = list(phrase_keys(text))
        common: set[str] | None = None
        for m in self.match(keys, typos=False):
            langs = self.langs.get(tuple(keys[m.start : m.end]))
            if langs:
                common = set(langs) if common is None else common & langs
        return next(iter(common)) if common is not None and len(common) == 1 else None

    @classmethod
    def build(
        cls,
        types: Mapping[str, tuple[str, Iterable[str], Mapping[str, Iterable[str]]]],
        synonyms: dict[str, Any] | None = None,
    ) -> ShopLexicon:
        """Build from ``{type: (category, features, {option: values})}`` plus synonyms.

        Synonyms name only values the catalog has (a type the shop does not sell is not
        made up by its synonym file); colours are always known.
        """
        lex = cls()
        colors = set(BASE_COLORS)
        for ptype, (category, features, options) in types.items():
            lex.type_category[ptype] = category
            lex.type_features[ptype] = set(features)
            lex.type_options[ptype] = {k: set(v) for k, v in options.items()}
            lex.add(ptype, Entry("type", ptype), "en")
            if category:
                lex.add(category, Entry("category", category), "en")
                for part in re.split(r"\s*&\s*|\s+and\s+", category):
                    lex.add(part, Entry("category", category), "en")
            for feat in features:
                lex.add(feat, Entry("feature", feat), "en")
            for name, values in options.items():
                for value in values:
                    if name == "color":
                        colors.add(value.lower())
                    elif name == "size":
                        for said in unit_variants(value):  # "27 inch" is also "27 Zoll"
                            lex.add(said, Entry("size", value))
                    else:
                        for said in unit_variants(value, name):
                            lex.add(said, Entry("option", value, name), "en")
        for color in colors:
            for form in english_colour_forms(color):  # "silver-ish", "reddish"
                lex.add(form, Entry("color", color))
        syn = synonyms or {}
        categories = set(lex.type_category.values())
        features = {f for fs in lex.type_features.values() for f in fs}
        for kind, known in (
            ("types", set(types)),
            ("categories", categories),
            ("colors", colors),
            ("features", features),
        ):
            for value, langs in (syn.get(kind) or {}).items():
                if value not in known:
                    continue
                entry = Entry(kind[:-1] if kind != "categories" else "category", value)
                if kind == "types":
                    entry = Entry("type", value)
                for lang, words in (langs or {}).items():
                    for word in words or []:
                        forms = [str(word)]
                        if kind == "colors" and lang == "de":
                            forms = german_adjective_forms(str(word))
                        elif kind == "colors" and lang == "en":
                            forms = english_colour_forms(str(word))  # "greyish"
                        elif kind == "features":  # "ultraleggera" is also "leggerissima"
                            forms += superlative_forms(str(word), str(lang))
                        for form in forms:
                            lex.add(form, entry, None if kind == "colors" else str(lang))
        lex._add_option_synonyms(syn.get("options") or {})
        for ptype, by_feature in (syn.get("glosses") or {}).items():
            for feature, langs in (by_feature or {}).items():
                if feature in lex.type_features.get(ptype, set()):
                    lex.glosses[(ptype, feature)] = [
                        str(g) for glosses in (langs or {}).values() for g in glosses or []
                    ]
        return lex

    def _add_option_synonyms(self, options: Mapping[str, Any]) -> None:
        """Add ``options: {name: {value: {lang: [words]}}}`` for values some type has.

        "fest" names firmness "firm", "klein" names size "S"; a value no type of this shop
        has under that option name is skipped, like every other synonym, and so is a phrase
        holding a product word ("filtro de bomba" would hide the type "filtro").
        """
        known = {
            (name, value)
            for opts in self.type_options.values()
            for name, values in opts.items()
            for value in values
        }
        for name, by_value in options.items():
            for value, langs in (by_value or {}).items():
                if (str(name), str(value)) not in known:
                    continue
                entry = (
                    Entry("size", str(value))
                    if name == "size"
                    else Entry("option", str(value), str(name))
                )
                for lang, words in (langs or {}).items():
                    for word in words or []:
                        if not self._names_a_product(str(word)):
                            self.add(str(word), entry, str(lang))

    def _names_a_product(self, phrase: str) -> bool:
        """Whether some run of ``phrase``'s words is a type or category phrase."""
        keys = phrase_keys(phrase.replace("-", " "))
        return any(
            e.kind in ("type", "category")
            for i in range(len(keys))
            for j in range(i + 1, len(keys) + 1)
            for e in self.phrases.get(keys[i:j], ())
        )

    def _singles_by_letter(self) -> dict[str, list[str]]:
        """Return the one-word phrase keys by first letter (built once, for typo lookups)."""
        if self._singles is None:
            self._singles = {}
            for key in self.phrases:
                if len(key) == 1 and (key[0] in self._plain or key[0] not in self._joined):
                    self._singles.setdefault(key[0][:1], []).append(key[0])
        return self._singles

    def _uninflected(self, key: str, base_min: int = 4) -> str:
        """Return ``key`` less an ending (``_INFLECTIONS``) when only that form is a phrase word.

        A 5+ letter word no phrase of the lexicon has, whose shorter form (``base_min``
        letters or more) one has.
        """
        if len(key) < 5 or not key.isalpha():
            return key
        if self._words is None:
            self._words = {w for phrase in self.phrases for w in phrase}
        if key in self._words:
            return key
        bases = (key[: -len(e)] for e in _INFLECTIONS if key.endswith(e))
        return next((b for b in bases if b in self._words and len(b) >= base_min), key)

    def phrase_at(self, keys: list[str], i: int) -> Match | None:
        """Return the longest phrase of the lexicon starting at ``keys[i]`` exactly (or None)."""
        for n in range(min(self.max_len, len(keys) - i), 0, -1):
            key = tuple(keys[i : i + n])
            entries = self.phrases.get(key) or self.plurals.get(key)
            if entries:
                return Match(i, i + n, tuple(sorted(entries, key=_order)))
        return None

    def match(
        self, keys: list[str], *, typos: bool = True, inflected: bool = False, base_min: int = 4
    ) -> list[Match]:
        """Longest non-overlapping phrase matches over a message's word keys.

        Two words that are one phrase written together match it ("water proof").
        ``typos``: a 6+ letter word may be a typo of a one-word phrase. ``inflected``: a
        5+ letter word may be a phrase's word with an ending (``_INFLECTIONS``).
        """
        out: list[Match] = []
        i = 0
        while i < len(keys):
            found = self.phrase_at(keys, i)
            if found is None and inflected:
                # inflected words: "dicker", "festen", "gaskartuschen", "abzippbaren beinen"
                # (not "stärke" → "stark": a lone -e is left alone)
                window = [self._uninflected(k, base_min) for k in keys[i : i + self.max_len]]
                if window != keys[i : i + self.max_len]:
                    found = self.phrase_at([*keys[:i], *window], i)
            if (
                found is None
                and i + 1 < len(keys)
                and (keys[i].isalpha() or keys[i].isdigit())
                and keys[i + 1].isalpha()
            ):
                # a compound typed apart: "ultra légère" (ultralégère), "water proof", a
                # number and its unit ("20000 mAh" for 20000mAh)
                joined = self.phrases.get((keys[i] + keys[i + 1],))
                if joined:
                    found = Match(i, i + 2, tuple(sorted(joined, key=_order)))
            if found is None and typos and len(keys[i]) >= 6 and keys[i].isalpha():
                # a typo keeps its first letter ("tootbrush"); "chose" is not "hose"; a
                # word is no typo of a much longer one ("bluetooth" is not "bluetoothbox")
                pool = [
                    w
                    for w in self._singles_by_letter().get(keys[i][:1], [])
                    if abs(len(w) - len(keys[i])) <= 2
                ]
                close = get_close_matches(keys[i], pool, n=1, cutoff=0.85)
                if close:
                    found = Match(i, i + 1, tuple(sorted(self.phrases[(close[0],)], key=_order)))
            if found is not None:
                out.append(found)
                i = found.end
            else:
                i += 1
        return out

    def resolve(self, text: str, kind: str) -> list[str]:
        """Canonical values of ``kind`` that the words of ``text`` name (in order)."""
        values: list[str] = []
        for m in self.match(list(phrase_keys(text)), inflected=True, base_min=_BASE_ANY_LANGUAGE):
            for e in m.entries:
                if e.kind == kind and e.value not in values:
                    values.append(e.value)
        return values


# kinds whose several-word phrases are also known in the plural (things, not values)
_PLURAL_KINDS = frozenset({"type", "category", "feature"})

# endings a word may carry beyond the form a lexicon lists ("dick" → "dicker", "dicken")
_INFLECTIONS = ("en", "er", "n")
# the shortest form an ending is taken off where the message's language is not checked
# (the tagger's lexicon features, ``resolve``): "matter" is no "matt" + "er"
_BASE_ANY_LANGUAGE = 5

_UNITS: dict[str, tuple[str, ...]] = {
    "l": ("l", "liter", "liters", "litre", "litres", "litros", "litro", "litri", "litre"),
    "inch": ("inch", "inches", "in", "zoll", "pouces", "pulgadas", "pollici"),
    "ft": ("ft", "feet", "foot", "fuß", "pieds", "pies", "piedi"),
    "person": ("person", "people", "ppl", "personen", "pers", "personnes", "personas", "persone"),
    "oz": ("oz", "ounce", "ounces", "unze", "unzen", "once", "onces", "onza", "onzas", "oncia"),
    "qt": ("qt", "quart", "quarts", "cuarto", "cuartos", "quarto", "quarti"),
    "pieces": ("pieces", "piece", "pcs", "teile", "teilen", "teiler", "piezas", "pezzi"),
}
_VALUE_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*-?\s*([a-zA-Z]+)$")
_DIMENSIONS = re.compile(r"^((\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?))\s*([a-zA-Z]+)$")


def unit_variants(value: str, option: str = "") -> list[str]:
    """Return ways to write an option value with a unit ("35L" → "35 litros", "35 liters").

    A bare number takes its option's name as the unit when that name is a known unit
    (pieces 500 → "500 pieces", "500 Teile", "500 pezzi").
    """
    out = [value]
    for names in _UNITS.values():
        if value.strip().isdigit() and option.lower() in names:
            out += [f"{value.strip()} {n}" for n in names]
    dims = _DIMENSIONS.match(value.strip())
    if dims:  # "4x6 ft" is also plain "4x6", "4 x 6", and in the unit's other words
        out += [dims.group(1), f"{dims.group(2)} x {dims.group(3)}"]
        for names in _UNITS.values():
            if dims.group(4).lower() in names:
                out += [f"{dims.group(1)} {n}" for n in names]
    m = _VALUE_UNIT.match(value.strip())
    if m:
        number, unit = m.group(1), m.group(2).lower()
        for names in _UNITS.values():
            if unit in names:
                out += [f"{number} {n}" for n in names] + [f"{number}{n}" for n in names]
    return out


def _order(entry: Entry) -> tuple[int, str]:
    return (KINDS.index(entry.kind), entry.value)


def shop_lexicon(
    docs: Iterable[ProductDoc], vocabulary: CatalogVocabulary, synonyms: str | None = None
) -> ShopLexicon:
    """Return the lexicon of a store's indexed products (types, categories, features, options)."""
    types: dict[str, tuple[str, set[str], dict[str, set[str]]]] = {}
    for doc in docs:
        ptype = vocabulary.type_of.get(doc.product_id)
        if not ptype:
            continue
        category, features, options = types.setdefault(
            ptype, (str(doc.metadata.get("category") or ""), set(), {})
        )
        features.update(vocabulary.features_by_type.get(ptype, set()))
        for option_set in doc.option_sets:
            for name, value in option_set.items():
                options.setdefault(name, set()).add(value)
    return ShopLexicon.build(
        {t: (c, sorted(f), {k: sorted(v) for k, v in o.items()}) for t, (c, f, o) in types.items()},
        load_synonyms(Path(synonyms) if synonyms else None),
    )


def load_synonyms(path: Path | None) -> dict[str, Any]:
    """Read a synonym file (the default one when ``path`` is None); {} if it is missing."""
    target = path or DEFAULT_SYNONYMS
    if not target.exists():
        if path is not None:
            raise FileNotFoundError(f"the synonym file {target} does not exist")
        return {}
    data = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{target}: a synonym file is a mapping of sections (types, options, …)")
    return data


def local_names(synonyms: str | None, lang: str) -> dict[str, str]:
    """Return catalog words (types, features, colours, uses; lower case) → their name in ``lang``.

    The first name a synonym file gives in that language ("waterproof" → "wasserdicht");
    words it does not translate are absent, so callers can keep the catalog's own word.
    """
    return dict(_local_names(synonyms, lang))


@lru_cache(maxsize=16)
def _local_names(synonyms: str | None, lang: str) -> tuple[tuple[str, str], ...]:
    data = load_synonyms(Path(synonyms) if synonyms else None)
    out: dict[str, str] = {}
    for section in ("types", "colors", "features", "uses"):
        for name, by_lang in (data.get(section) or {}).items():
            names = (by_lang or {}).get(lang) if isinstance(by_lang, dict) else None
            if names:
                out[str(name).lower()] = str(names[0])
    return tuple(out.items())
