"""What code reads from a message by itself, in en/de/fr/es/it, before and after the model.

Language, explicit yes/no, requests for a person, greetings, emails, zip codes, order
ids, postal addresses, sort words and cancel reasons are matched here; the model is
never trusted with them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.nlu.address import Address, address_in
from assistant.nlu.cues import cue_language
from catalog.emails import EMAIL, email_of
from catalog.orders.confirmations import is_explicit_yes

SUPPORTED = ("en", "de", "fr", "es", "it")
__all__ = ["Address", "address_in"]

_HANDOFF = re.compile(
    r"\b(human|real person|a person|someone (?:real|who can)|speak (?:to|with) (?:someone|a)|"
    r"talk (?:to|with) (?:someone|a)|(?:customer )?(?:service|support) agent|an agent|"
    r"representative|manager|supervisor|operator|"
    r"mensch|mitarbeiter|echte[nr]? person|"
    r"conseiller|un humain|une personne|quelqu'un|agente|persona real|humano|"
    r"operatore|persona vera|un umano)\b",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\W*(hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|hallo|guten (?:tag|morgen)|"
    r"servus|bonjour|salut|bonsoir|hola|buenos d[ií]as|buenas|ciao|buongiorno|salve)"
    r"(?:\s+there)?\W*$",
    re.IGNORECASE,
)
_NO = re.compile(
    r"\b(no|nope|not|don'?t|do not|never mind|nevermind|keep (?:it|the order)|leave (?:it|my)|"
    r"stop|cancel that|on second thought|nein|nicht|non|pas|ne pas|nada|no lo|annulla)\b",
    re.IGNORECASE,
)
_ZIP = re.compile(r"\b\d{5}(?:-\d{4})?\b")
_ORDER = re.compile(r"#?\b(W\d{5,})\b", re.IGNORECASE)
_CHEAPEST = re.compile(
    r"\b(cheapest|lowest[- ]priced?|least expensive|cheapest to|from cheapest|"
    r"g[üu]nstigste|billigste|moins cher|le moins|m[aá]s barat[oa]|pi[uù] economic)\w*",
    re.IGNORECASE,
)
_PRICIEST = re.compile(
    r"\b(most expensive|priciest|highest[- ]priced?|premium|teuerste|plus cher|m[aá]s car[oa]|"
    r"pi[uù] costos)\w*",
    re.IGNORECASE,
)
_BEST = re.compile(
    r"\b(best[- ]rated|top[- ]rated|highest[- ]rated|rate[sd]? (?:the )?highest|best reviewed|"
    r"am besten bewertet|mieux not[ée]|mejor valorad|meglio recensit)\w*",
    re.IGNORECASE,
)
_MISTAKE = re.compile(
    r"\b(mistake|mistakenly|by accident|accidentally|wrong one|never meant|didn'?t mean|"
    r"did not mean|meant to order|hit buy|versehentlich|aus versehen|nicht bestellen wollte|"
    r"sans le vouloir|je ne voulais pas|no quería|non volevo|"
    r"falsch bestellt|par erreur|par accident|por error|por equivocación|sin querer|"
    r"per errore|per sbaglio)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(SUPPORTED))
    return ident


# A short message switches a conversation's language only when the identifier is this sure
# ("how do i pay" reads as Italian at 0.61; "quiero pagar" as Spanish at 0.92).
SWITCH_SHORT = 0.8
SHORT_LETTERS = 20
# a settled conversation whose cue words the message shares keeps its language below this
SWITCH_SURE = 0.95


# a first message of at most this many words is in the language of the shop's words it uses
# ("tapis de yoga 6mm", "gourdes?"), when they name one language other than English
SHOP_WORDS_MAX = 4


def detect_language(
    text: str, default: str = "en", *, settled: bool = False, shop_words: str | None = None
) -> str:
    """Return the message's language among en/de/fr/es/it (``default`` for very short text).

    ``settled``: the conversation already has a language (``default``), and a short
    message leaves it only on strong evidence. ``shop_words``: the one language the
    message's product and option words belong to (the shop lexicon's
    ``language_of``); it decides a short first message, where the identifier guesses
    (English catalog words are used in every language, so "en" decides nothing).
    """
    cleaned = EMAIL.sub(" ", re.sub(r"[#$€£]?\d[\d.,:/-]*", " ", text)).strip()
    if (
        not settled
        and shop_words in SUPPORTED
        and shop_words != "en"
        and len(cleaned.split()) <= SHOP_WORDS_MAX
    ):
        return str(shop_words)
    letters = len(re.findall(r"[^\W\d_]", cleaned))
    if letters < 8:
        return default
    lang, prob = _identifier().classify(cleaned)
    if settled and lang != default and letters < SHORT_LETTERS and prob < SWITCH_SHORT:
        return default
    if settled and lang != default and prob < SWITCH_SURE and cue_language(cleaned) == default:
        return default  # "prendo quella arancione" in an Italian talk (read as Spanish)
    unsure = prob < 0.5 or (letters < SHORT_LETTERS and prob < SWITCH_SHORT)
    # "vendéis colchones?", "vendete zaini?": a first message the identifier is unsure of
    # goes by the one language its cue words belong to, if they name one
    cued = cue_language(cleaned) if unsure and not settled else None
    return cued or (str(lang) if prob >= 0.5 else default)


def wants_human(text: str) -> bool:
    """Return the shopper asks for a person."""
    return bool(_HANDOFF.search(text))


def is_greeting(text: str) -> bool:
    """Return the message is only a greeting."""
    return bool(_GREETING.match(text))


def is_yes(text: str, proposed: str = "") -> bool:
    """Return a short, unambiguous yes, with no negation in it (the order service's rule).

    ``proposed``: the change shown, whose words the yes may repeat.
    """
    return is_explicit_yes(text, proposed)


def is_no(text: str) -> bool:
    """Return a refusal or change of mind ("no", "don't cancel it", "leave it as it is")."""
    return bool(_NO.search(text))


def email_in(text: str) -> str | None:
    """Return the first email address the message gives (typed, or spelled out)."""
    return email_of(text)


def zip_in(text: str) -> str | None:
    """Return a 5-digit zip code typed in the message (not part of an order id)."""
    found = zips_in(text)
    return found[0] if found else None


def zips_in(text: str) -> list[str]:
    """Return every zip code typed in the message (not part of an order id), in order."""
    return [str(z) for z in _ZIP.findall(_ORDER.sub(" ", text))]


def order_ids_in(text: str) -> list[str]:
    """Order ids typed in the message, normalized to ``#W…``."""
    return [f"#{m.upper()}" for m in _ORDER.findall(text)]


def sort_in(text: str) -> str | None:
    """``price_asc``, ``price_desc`` or ``rating`` when the message asks for an order."""
    if _BEST.search(text):
        return "rating"
    if _CHEAPEST.search(text):
        return "price_asc"
    if _PRICIEST.search(text):
        return "price_desc"
    return None


def cancel_reason(text: str) -> str:
    """Return the store's two cancel reasons: "ordered by mistake" or "no longer needed"."""
    return "ordered by mistake" if _MISTAKE.search(text) else "no longer needed"
