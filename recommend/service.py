"""What the shop serves: "for you", "similar", "together" and "popular" lists with reasons.

The trained :class:`~recommend.model.RecsModel` brings habits and co-purchases; this
module adds product embeddings (content similarity), the shop's rules (in stock, filters,
nothing already bought unless consumable) and a code-written reason on every item.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.engine import Engine

from recommend.config import RecsSettings
from recommend.errors import ModelFileError, UnknownProductError
from recommend.filters import RecsFilters, available_products
from recommend.model import RecsModel
from recommend.rerank import diversify
from recommend.scoring import normalized, type_similarity
from recommend.store import (
    CatalogInfo,
    buyers_since,
    day_number,
    load_baskets,
    min_prices,
    store_fingerprint,
    user_history,
)

log = logging.getLogger(__name__)
Kind = Literal["for_you", "similar", "together", "popular"]


class VectorSource(Protocol):
    """Where product embeddings come from (``retrieval.dense.DenseIndex``)."""

    def vectors(self, ids: list[str]) -> dict[str, NDArray[np.float32]]:
        """Embeddings of ``ids`` (missing ids are left out)."""
        ...


@dataclass(frozen=True)
class Recommendation:
    """One recommended product and the reason shown on its card."""

    product_id: str
    name: str
    reason: str
    score: float


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Trained:
    model: RecsModel
    info: CatalogInfo
    content: NDArray[np.float32]  # L2-normalised embeddings, one row per model item
    groups: NDArray[np.int32]
    positions: dict[str, int]  # product id → row
    item_type: NDArray[np.int64]  # product type index per row (one extra: not in catalog)
    type_sim: NDArray[np.float64]  # type × type cosine of who-buys-which-types


@dataclass
class RecommendationService:
    """Recommendations over one store; :meth:`prepare` before use.

    ``model_path`` (``<data_dir>/recs/model.pkl``) keeps the trained model between runs;
    it is retrained when ``retrain_after_orders`` new order lines have arrived.
    """

    engine: Engine
    settings: RecsSettings
    model_path: Path | None = None
    vectors: VectorSource | None = None
    clock: Callable[[], datetime] = _utcnow
    _trained: _Trained | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _checked_at: float = field(default=0.0, repr=False)

    # ------------------------------------------------------------------ lifecycle
    def prepare(self, *, progress: bool = False) -> RecsModel:
        """Load the persisted model if it is current, else train (and persist) one."""
        model: RecsModel | None = None
        if self.model_path is not None and self.model_path.exists():
            try:
                model = RecsModel.load(self.model_path)
            except ModelFileError as exc:
                log.warning("%s; retraining", exc.message)
        if model is None or self._stale(model):
            return self.train(progress=progress)
        self._install(model)
        return model

    def train(self, *, progress: bool = False) -> RecsModel:
        """Train on every bought order in the store now, persist it, and start using it."""
        info = CatalogInfo.load(self.engine)
        lines, newest = store_fingerprint(self.engine)
        baskets = load_baskets(self.engine, info)
        model = RecsModel.fit(
            baskets, self.settings, progress=progress, fingerprint=f"{lines}|{newest}"
        )
        if self.model_path is not None:
            model.save(self.model_path)
        self._install(model, info)
        return model

    def bound_to(self, engine: Engine) -> RecommendationService:
        """Return the same trained model over another copy of the same store (evaluations)."""
        twin = replace(self, engine=engine, model_path=None)
        twin._trained = self._trained
        twin._lock = threading.Lock()
        return twin

    def maybe_refresh(self, *, min_interval_s: float = 60.0) -> bool:
        """Retrain if enough new orders arrived (checked at most once a minute)."""
        now = time.monotonic()
        if now - self._checked_at < min_interval_s or not self._lock.acquire(blocking=False):
            return False
        try:
            self._checked_at = now
            if self._trained is None or self._stale(self._trained.model):
                self.train()
                return True
            return False
        finally:
            self._lock.release()

    def _stale(self, model: RecsModel) -> bool:
        lines, newest = store_fingerprint(self.engine)
        if not model.fingerprint:
            return True
        old_lines_s, _, old_newest = model.fingerprint.partition("|")
        if old_newest != newest and lines == int(old_lines_s):
            return False  # same amount of data, only statuses/dates moved
        return abs(lines - int(old_lines_s)) >= self.settings.retrain_after_orders

    def _install(self, model: RecsModel, info: CatalogInfo | None = None) -> None:
        info = info or CatalogInfo.load(self.engine)
        content = np.zeros((model.n_items, 1), dtype=np.float32)
        if self.vectors is not None and model.n_items:
            found = self.vectors.vectors(model.items)
            if found:
                dim = len(next(iter(found.values())))
                content = np.zeros((model.n_items, dim), dtype=np.float32)
                for i, pid in enumerate(model.items):
                    if pid in found:
                        v = np.asarray(found[pid], dtype=np.float32)
                        content[i] = v / (np.linalg.norm(v) or 1.0)
        names = sorted(set(info.categories.values()))
        gidx = {g: i for i, g in enumerate(names)}
        groups = np.array([gidx.get(info.categories.get(p, ""), -1) for p in model.items], np.int32)
        type_names = sorted(set(info.types.values()))
        tindex = {name: i for i, name in enumerate(type_names)}
        unknown = len(type_names)  # bought once, no longer in the catalog: a kind of its own
        item_type = np.array(
            [
                tindex.get(info.types[p], unknown) if p in info.types else unknown
                for p in model.items
            ],
            np.int64,
        )
        self._trained = _Trained(
            model=model,
            info=info,
            content=content,
            groups=groups,
            positions={p: i for i, p in enumerate(model.items)},
            item_type=item_type,
            type_sim=type_similarity(model.personal, item_type, len(type_names) + 1),
        )

    @property
    def trained(self) -> _Trained:
        """The model in use; prepares one on first use."""
        if self._trained is None:
            self.prepare()
        assert self._trained is not None
        return self._trained

    # ------------------------------------------------------------------ helpers
    def _lookup(self, product_id: str) -> int:
        t = self.trained
        if product_id not in t.info.names:
            raise UnknownProductError(f"unknown product id {product_id!r}")
        position = t.positions.get(product_id)
        if position is None:
            raise UnknownProductError(f"product {product_id!r} is newer than the model; retrain")
        return position

    def _finish(
        self,
        scores: NDArray[np.float32],
        *,
        n: int,
        filters: RecsFilters | None,
        exclude: Iterable[str],
        reason: Callable[[str], str],
        diversity: float | None = None,
    ) -> list[Recommendation]:
        """Apply the shop's rules to a score per item, diversify, and attach reasons."""
        t = self.trained
        mask = scores > 0
        for pid in exclude:
            pos = t.positions.get(pid)
            if pos is not None:
                mask[pos] = False
        ranked = np.flatnonzero(mask)
        ranked = ranked[np.argsort(-scores[ranked], kind="stable")]
        # Stock and filters are checked in SQL on a shortlist, widened until it is enough.
        cand = np.zeros(0, dtype=np.int64)
        for size in (max(10 * n, 100), len(ranked)):
            shortlist = [t.model.items[i] for i in ranked[:size]]
            allowed = available_products(self.engine, filters or RecsFilters(), shortlist)
            cand = np.array([i for i in ranked[:size] if t.model.items[i] in allowed], np.int64)
            if len(cand) >= 5 * n or size >= len(ranked):
                break
        if len(cand) == 0:
            return []
        weight = self.settings.diversity if diversity is None else diversity
        picked = diversify(cand, scores[cand], t.groups, n, weight=weight)
        return [
            Recommendation(
                product_id=t.model.items[i],
                name=t.info.names.get(t.model.items[i], t.model.items[i]),
                reason=reason(t.model.items[i]),
                score=round(float(scores[i]), 4),
            )
            for i in picked
        ]

    def _content_to(
        self, rows: NDArray[np.int64], weights: NDArray[np.float32]
    ) -> NDArray[np.float32]:
        """Cosine of every item to the weighted mean embedding of ``rows``."""
        content = self.trained.content
        if len(rows) == 0 or not content.any():
            return np.zeros(content.shape[0], dtype=np.float32)
        profile = (weights[:, None] * content[rows]).sum(axis=0)
        norm = float(np.linalg.norm(profile))
        if norm == 0:
            return np.zeros(content.shape[0], dtype=np.float32)
        scores: NDArray[np.float32] = np.clip(content @ (profile / norm), 0, None).astype(
            np.float32
        )
        return scores

    def _best_anchor(self, item: str, anchors: list[str]) -> str | None:
        """Pick the anchor product most related to ``item`` (co-purchase first, then content)."""
        t = self.trained
        pos = t.positions
        i = pos.get(item)
        if i is None:
            return None
        best, best_score = None, 0.0
        for a in anchors:
            j = pos.get(a)
            if j is None or j == i:
                continue
            score = float(t.model.copurchase[j, i]) + float(t.content[i] @ t.content[j])
            if score > best_score:
                best, best_score = a, score
        return best

    # ------------------------------------------------------------------ lists
    def recommend(
        self,
        kind: Kind,
        *,
        n: int = 6,
        filters: RecsFilters | None = None,
        product_id: str | None = None,
        user_id: str | None = None,
        interest: Iterable[str] = (),
    ) -> list[Recommendation]:
        """Build the list of ``kind``; ``similar`` and ``together`` need ``product_id``."""
        if kind in ("similar", "together"):
            if not product_id:  # callers check this at their boundary, in their words
                raise UnknownProductError(f"kind {kind!r} needs a product id")
            if kind == "similar":
                return self.similar(product_id, n=n, filters=filters)
            return self.together(product_id, n=n, filters=filters)
        if kind == "for_you":
            return self.for_you(user_id, n=n, filters=filters, interest=interest)
        return self.popular(n=n, filters=filters)

    def for_you(
        self,
        user_id: str | None,
        *,
        n: int = 6,
        filters: RecsFilters | None = None,
        interest: Iterable[str] = (),
    ) -> list[Recommendation]:
        """Personal picks from the customer's orders and what they looked at in this chat.

        With no history and no interest this is :meth:`popular` (cold start).
        """
        t = self.trained
        model, pos, now = t.model, t.positions, self.clock()
        seen = [p for p in dict.fromkeys(interest) if p in pos]
        history = user_history(self.engine, user_id, pos) if user_id else None
        baskets = list(history.baskets) if history else []
        days = list(history.days) if history else []
        if seen:
            baskets.append(np.array(sorted(pos[p] for p in seen), dtype=np.int32))
            days.append(day_number(now))
        if not baskets or not any(len(b) for b in baskets):
            return self.popular(n=n, filters=filters)
        cand, scores = model.for_user(baskets, np.array(days), day_number(now))
        cf = np.zeros(model.n_items, dtype=np.float32)
        cf[cand] = normalized(scores)
        vec = model.user_vector(baskets)
        rows = np.flatnonzero(vec).astype(np.int64)
        # Taste: how similar an item's text is to what they bought, and how often shoppers
        # who buy their kinds of product (types) also buy the item's kind.
        text = self._content_to(rows, vec[rows])
        kinds = np.bincount(t.item_type[rows], weights=vec[rows], minlength=len(t.type_sim))
        affinity = (kinds @ t.type_sim)[t.item_type].astype(np.float32)
        content = 0.5 * text + 0.5 * normalized(affinity)
        pop = normalized(model.popularity.astype(np.float32))
        cw, pw = self.settings.content_weight, self.settings.popularity_weight
        total = ((1 - cw - pw) * cf + cw * content + pw * pop).astype(np.float32)
        bought = history.products if history else []
        consumable = set(self.settings.consumable_categories)
        durable = [p for p in bought if t.info.categories.get(p, "") not in consumable]
        owned = [pos[p] for p in durable if p in pos]
        if owned and self.settings.owned_type_penalty > 0:
            # someone who just bought an office chair rarely wants a second one
            same = np.isin(t.item_type, t.item_type[owned])
            total[same] *= 1 - self.settings.owned_type_penalty
        exclude = durable + seen
        anchors = bought[::-1] + seen[::-1]
        looked = set(seen)
        last = history.last_bought if history else {}

        def reason(pid: str) -> str:
            if pid in last:
                return f"You bought this on {last[pid]:%b %-d, %Y}, time to restock"
            anchor = self._best_anchor(pid, anchors)
            if anchor is None:
                return "Popular with shoppers who buy what you buy"
            verb = "looked at" if anchor in looked else "bought"
            return f"Because you {verb} the {t.info.names.get(anchor, anchor)}"

        return self._finish(total, n=n, filters=filters, exclude=exclude, reason=reason)

    def similar(
        self,
        product_id: str,
        *,
        n: int = 6,
        filters: RecsFilters | None = None,
        exclude: Iterable[str] = (),
    ) -> list[Recommendation]:
        """Alternatives to one product: same type first, then content and co-purchases."""
        t = self.trained
        i = self._lookup(product_id)
        content = np.clip(t.content @ t.content[i], 0, None)
        together = normalized(t.model.together(i))
        same_type = t.item_type == t.item_type[i]
        scores = (content + 0.3 * together + 0.5 * same_type).astype(np.float32)
        name = t.info.names.get(product_id, product_id)
        prices = min_prices(self.engine)
        base = prices.get(product_id)

        had = set(t.info.features.get(product_id, []))

        def reason(pid: str) -> str:
            price = prices.get(pid)
            if base is not None and price is not None and price < base - 0.5:
                return f"Similar to the {name}, {base - price:,.2f} less"
            extra = [f for f in t.info.features.get(pid, []) if f not in had][:2]
            if extra:
                return f"Like the {name}, plus {' and '.join(extra)}"
            return f"Similar to the {name}"

        return self._finish(
            scores,
            n=n,
            filters=filters,
            exclude=[product_id, *exclude],
            reason=reason,
            diversity=0.0,
        )

    def together(
        self,
        product_id: str,
        *,
        n: int = 6,
        filters: RecsFilters | None = None,
        exclude: Iterable[str] = (),
    ) -> list[Recommendation]:
        """Products bought in the same orders as this one (or as products of its type)."""
        t = self.trained
        i = self._lookup(product_id)
        direct = t.model.together(i)
        ptype = t.info.types.get(product_id, "")
        same_type = t.item_type == t.item_type[i]
        peers = np.flatnonzero(same_type)
        by_type = np.asarray(t.model.copurchase[peers].sum(axis=0), dtype=np.float32).ravel()
        scores = (2.0 * normalized(direct) + normalized(by_type)).astype(np.float32)
        scores[same_type] = 0.0  # a second tent is an alternative, not a companion
        name = t.info.names.get(product_id, product_id)
        plural = ptype or "this product"

        def reason(pid: str) -> str:
            if direct[t.positions[pid]] > 0:
                return f"Often bought with the {name}"
            return f"Often bought with {plural}" + (
                "s" if ptype and not ptype.endswith("s") else ""
            )

        return self._finish(
            scores, n=n, filters=filters, exclude=[product_id, *exclude], reason=reason
        )

    def popular(
        self,
        *,
        n: int = 6,
        filters: RecsFilters | None = None,
        exclude: Iterable[str] = (),
    ) -> list[Recommendation]:
        """Best sellers (distinct buyers), this month if there is enough recent data."""
        t = self.trained
        since = self.clock() - timedelta(days=self.settings.popular_window_days)
        recent = buyers_since(self.engine, since)
        windowed = sum(recent.values()) >= 10
        counts = recent if windowed else buyers_since(self.engine, None)
        scores = np.array([counts.get(p, 0) for p in t.model.items], dtype=np.float32)
        scores += 1e-3 * normalized(t.model.popularity.astype(np.float32))
        scores += 1e-6  # never-bought products may still fill the list
        asked = filters.category if filters and filters.category else None
        when = " this month" if windowed else ""

        def reason(pid: str) -> str:
            if not counts.get(pid):  # nobody bought it yet: not "popular"
                return "From the shop" if asked is None else f"From {asked}"
            if asked is None:
                return f"Popular in the shop{when}"
            return f"Popular in {t.info.categories.get(pid) or asked}{when}"

        return self._finish(scores, n=n, filters=filters, exclude=exclude, reason=reason)
