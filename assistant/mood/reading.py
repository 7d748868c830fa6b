"""What the mood of one shopper message is (plain data: it crosses to the store process)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MoodReading:
    """The mood of one message: VADER's compound and the frustration model's probability.

    ``frustrated`` makes the flows offer a person. VADER's lexicon is English: it reads
    German "die" as negative ("sind die Stiefel wasserdicht?" scores -0.8) and most other
    words as neutral, so it counts only for a message in English.
    """

    vader: float
    frustration: float
    frustrated: bool
    # the message asks for a kind of product the shop carries ("ugh my eyes are killing me
    # … need a decent lamp"): upset about life, not the shop
    asks_for_product: bool = False

    def score(self, lang: str) -> float:
        """Return the mood the console shows for the message in ``lang`` (-1 … +1).

        VADER's compound in English (0 otherwise), bounded by the frustration model: a
        frustrated message scores at most minus its probability (negative wins), a calm
        one at least that (VADER alone reads "my headlamp broke, any waterproof ones?" as
        -0.42, an upset shopper on the console).
        """
        vader = self.vader if lang == "en" else 0.0
        bound = -self.frustration
        return round(min(vader, bound) if self.frustrated else max(vader, bound), 3)

    def furious(self, lang: str, threshold: float) -> bool:
        """Return True for a frustrated English message VADER scores at or below ``threshold``.

        VADER alone reads pain or bad news as fury ("need an office chair, my back is
        killing me" scores -0.6): only a message the frustration model also finds
        frustrated is handed over at once, and not when it asks for a product the shop
        carries (the bot answers it, says sorry and offers a person).
        """
        return (
            self.frustrated
            and lang == "en"
            and self.vader <= threshold
            and not self.asks_for_product
        )
