"""Numbers and money as shoppers type them, in en/de/fr/es/it: digits or words.

``parse_amount("fünfzig Euro")`` → ``Amount(50.0, "EUR")``; ``say_number(75, "fr")`` →
``"soixante-quinze"`` (the corpus generator writes budgets in words with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS: dict[str, list[str]] = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen".split(),
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn "
    "vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn".split(),
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize dix-sept dix-huit dix-neuf".split(),
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
    "quince dieciséis diecisiete dieciocho diecinueve".split(),
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici "
    "quattordici quindici sedici diciassette diciotto diciannove".split(),
}
_TENS: dict[str, list[str]] = {
    "en": "twenty thirty forty fifty sixty seventy eighty ninety".split(),
    "de": "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig".split(),
    "fr": (
        "vingt trente quarante cinquante soixante soixante-dix quatre-vingt quatre-vingt-dix"
    ).split(),
    "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa".split(),
    "it": "venti trenta quaranta cinquanta sessanta settanta ottanta novanta".split(),
}
_HUNDRED = {"en": "hundred", "de": "hundert", "fr": "cent", "es": "cien", "it": "cento"}
_EXTRA: dict[str, int] = {
    # spellings without accents, plurals and forms the tables above do not produce
    "dreissig": 30,
    "funf": 5,
    "fuenf": 5,
    "funfzig": 50,
    "fuenfzig": 50,
    "zwolf": 12,
    "zwoelf": 12,
    "ein": 1,
    "eine": 1,
    "einen": 1,
    "hunderte": 100,
    "zero": 0,
    "cents": 100,
    "une": 1,
    "quatre-vingts": 80,
    "quatre vingt": 80,
    "soixante dix": 70,
    "quatre vingt dix": 90,
    "ciento": 100,
    "doscientos": 200,
    "trescientos": 300,
    "cuatrocientos": 400,
    "quinientos": 500,
    "seiscientos": 600,
    "setecientos": 700,
    "ochocientos": 800,
    "novecientos": 900,
    "dieciseis": 16,
    "veintiuno": 21,
    "veintidós": 22,
    "veintidos": 22,
    "veinticinco": 25,
    "cent'": 100,
    "mille": 1000,
    "thousand": 1000,
    "tausend": 1000,
    "mil": 1000,
    "a hundred": 100,
    "one hundred": 100,
    "a grand": 1000,
    "hundred": 100,
    "grand": 1000,
    "couple hundred": 200,
    "dozen": 12,
    "a dozen": 12,
    "zéro": 0,
    "due cento": 200,
    "duecento": 200,
    "trecento": 300,
    "quattrocento": 400,
    "cinquecento": 500,
    "zweihundert": 200,
    "dreihundert": 300,
    "fünfhundert": 500,
    "deux cents": 200,
    "trois cents": 300,
    "cinq cents": 500,
    # slang for notes and round sums
    "fiver": 5,
    "a fiver": 5,
    "tenner": 10,
    "a tenner": 10,
    "hundo": 100,
    "a hundo": 100,
    "fünfer": 5,
    "zehner": 10,
    "zwanni": 20,
    "zwanziger": 20,
    "fuffi": 50,
    "fuffie": 50,
    "fuffy": 50,
    "fuffziger": 50,
    "fünfziger": 50,
    "hunni": 100,
    "hunnie": 100,
    "hunderter": 100,
}
_CURRENCIES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"€|\beur(?:o|os)?\b|\beuro?s?\b", re.I), "EUR"),
    (re.compile(r"£|\bpounds?\b|\bquid\b|\bgbp\b|\bsterling\b", re.I), "GBP"),
    (re.compile(r"\bchf\b|\bfranken\b|\bfrancs? suisses?\b", re.I), "CHF"),
    (re.compile(r"\$|\busd\b|\bdollars?\b|\bbucks?\b|\bd[oó]lares\b|\bdollari\b", re.I), "USD"),
]


def _compose(lang: str, n: int) -> str:
    units, tens = _UNITS[lang], _TENS[lang]
    if n < 20:
        return units[n]
    if n < 100:
        t, u = divmod(n, 10)
        if u == 0:
            return tens[t - 2]
        if lang == "en":
            return f"{tens[t - 2]}-{units[u]}"
        if lang == "de":
            return f"{'ein' if u == 1 else units[u]}und{tens[t - 2]}"
        if lang == "fr":
            if t in (7, 9):
                base = tens[t - 3]
                return f"{base}-{'et-' if (t == 7 and u == 1) else ''}{units[10 + u]}"
            return f"{tens[t - 2]}-{'et-' if u == 1 and t < 8 else ''}{units[u]}"
        if lang == "es":
            return f"{tens[t - 2]} y {units[u]}" if t > 2 else f"veinti{units[u]}"
        word = tens[t - 2][:-1] if units[u][0] in "uo" else tens[t - 2]
        return f"{word}{units[u]}"
    h, rest = divmod(n, 100)
    head = "one hundred" if lang == "en" else _HUNDRED[lang]
    if h > 1:
        head = {
            "en": f"{units[h]} hundred",
            "de": f"{units[h]}hundert",
            "fr": f"{units[h]} cents" if rest == 0 else f"{units[h]} cent",
            "es": _ES_HUNDREDS.get(h, f"{units[h]}cientos"),
            "it": f"{units[h]}cento",
        }[lang]
    elif lang == "es" and rest:
        head = "ciento"
    if not rest:
        return head
    sep = {"en": " ", "de": "", "fr": " ", "es": " ", "it": ""}[lang]
    return f"{head}{sep}{_compose(lang, rest)}"


_ES_HUNDREDS = {5: "quinientos", 7: "setecientos", 9: "novecientos"}


def say_number(n: int, lang: str) -> str:
    """Write the whole number ``n`` (0–999) in words in ``lang``."""
    if not 0 <= n < 1000:
        raise ValueError(f"only 0-999 can be written in words, not {n}")
    return _compose(lang if lang in _UNITS else "en", n)


def _build_words() -> dict[str, int]:
    table: dict[str, int] = {}
    for lang in _UNITS:
        for n in range(1000):
            table.setdefault(say_number(n, lang), n)
    for lang in ("en", "fr", "es", "it"):  # "two hundred and fifty", "cent cinquante"
        for n in range(101, 1000):
            table.setdefault(say_number(n, lang).replace(" hundred ", " hundred and "), n)
    for n in range(100, 200):  # "a hundred and fifty"
        for form in (
            say_number(n, "en"),
            say_number(n, "en").replace(" hundred ", " hundred and "),
        ):
            table.setdefault(form.replace("one hundred", "a hundred"), n)
    for n in range(21, 1000):  # "twenty five" as often as "twenty-five"
        table.setdefault(say_number(n, "en").replace("-", " "), n)
    for h in range(1, 10):  # "two eighty", "one twenty five": a price said aloud (en)
        for rest in range(10, 100):
            said = say_number(rest, "en")
            for form in {said, said.replace("-", " ")}:
                table.setdefault(f"{_UNITS['en'][h]} {form}", h * 100 + rest)
    table.update(_EXTRA)
    return table


_WORDS = _build_words()
_WORD_RE = re.compile(
    r"(?<![\w-])(" + "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True)) + r")"
    r"(?![\w-])",
    re.I,
)
_DIGITS = re.compile(r"(\d{1,3}(?:[,.\s]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?!\d)\s*(k\b)?", re.I)


@dataclass(frozen=True)
class Amount:
    """A money amount a shopper typed; ``currency`` only when they named one."""

    value: float
    currency: str | None = None


def number_in(text: str) -> float | None:
    """Return the first number in ``text``, in digits ("1,200", "45.50", "2k") or words."""
    m = _DIGITS.search(text)
    w = _WORD_RE.search(text)
    if m and (w is None or m.start() <= w.start()):
        whole = re.sub(r"[,.\s]", "", m.group(1))
        value = float(f"{whole}.{m.group(2)}" if m.group(2) else whole)
        return value * 1000 if m.group(3) else value
    if w:
        return float(_WORDS[w.group(1).lower()])
    return None


def currency_in(text: str) -> str | None:
    """Return the ISO code of a currency named or symbolled in ``text`` (None if none)."""
    for pattern, code in _CURRENCIES:
        if pattern.search(text):
            return code
    return None


def parse_amount(text: str) -> Amount | None:
    """Read a money amount from a short span ("$50", "fifty bucks", "45 €", "environ 40")."""
    value = number_in(text)
    if value is None:
        return None
    return Amount(value, currency_in(text))


def is_number_word(word: str) -> bool:
    """Return True when ``word`` is a number written in letters in one of the five languages."""
    return word.lower() in _WORDS


def numbers_in_words(text: str) -> list[float]:
    """Return every number written in letters in ``text`` ("seventy", "a hundred")."""
    return [float(_WORDS[m.group(1).lower()]) for m in _WORD_RE.finditer(text)]
