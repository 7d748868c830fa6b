"""Language identification of reply text, in code (py3langid), for the ``language`` check."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da")
_NOISE = re.compile(r"https?://\S+|[#$€£]?\d[\d.,:/-]*|[*_`>#|]+")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGUAGES))
    return ident


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of ``text``'s language ("und" when there is no text).

    Numbers, prices, links and markdown are removed first; they carry no language.
    """
    cleaned = _NOISE.sub(" ", text).strip()
    if len(re.findall(r"\w", cleaned)) < 2:
        return "und"
    lang, _prob = _identifier().classify(cleaned)
    return str(lang)
