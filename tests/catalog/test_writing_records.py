"""Copy drafts → approval with audit, reviews in the demo store and the importer."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.config import DatabaseSettings, DemoStoreSettings
from catalog.copywriting import ProductCopy, approve_copy, list_copies, reject_copy, save_draft
from catalog.db import create_schema, make_engine
from catalog.demo import generate_store
from catalog.errors import DataImportError, InvalidInputError, NotFoundError
from catalog.importer import load_store_dict
from catalog.models import Product
from catalog.orders.records import AuditLog
from catalog.reviews import Review, reviews_for


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    e = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/w.db"))
    create_schema(e)
    load_store_dict(
        e, generate_store(DemoStoreSettings(products=40, users=5), progress=False), progress=False
    )
    return e


def _pid(engine: Engine) -> str:
    with Session(engine) as s:
        pid = s.exec(select(Product.id).order_by(col(Product.id))).first()
    assert pid is not None
    return pid


def _draft(engine: Engine, pid: str, text: str = "A new description.", **kw: object) -> ProductCopy:
    return save_draft(engine, ProductCopy(product_id=pid, kind="description", text=text, **kw))


def test_draft_then_approve_replaces_the_description_with_audit(engine: Engine) -> None:
    pid = _pid(engine)
    with Session(engine) as s:
        old = s.get(Product, pid).description  # type: ignore[union-attr]
    draft = _draft(engine, pid, status="approved", ai_written=False)  # callers cannot skip review
    assert draft.status == "draft" and draft.ai_written
    with Session(engine) as s:
        assert s.get(Product, pid).description == old  # type: ignore[union-attr]
    row, changed = approve_copy(engine, int(draft.id or 0), actor="staff:7")
    assert changed and row.status == "approved" and row.decided_by == "staff:7"
    with Session(engine) as s:
        assert s.get(Product, pid).description == "A new description."  # type: ignore[union-attr]
        audit = list(s.exec(select(AuditLog).where(AuditLog.action == "approve_copy")))
    assert len(audit) == 1 and audit[0].actor == "staff:7"
    assert audit[0].before["description"] == old
    assert audit[0].after["description"] == "A new description."
    with pytest.raises(InvalidInputError, match="not a draft"):
        approve_copy(engine, int(draft.id or 0), actor="staff:7")


def test_a_newer_approval_supersedes_the_old_one(engine: Engine) -> None:
    pid = _pid(engine)
    first = _draft(engine, pid, "First.")
    approve_copy(engine, int(first.id or 0), actor="cli:ann")
    second = _draft(engine, pid, "Second.")
    approve_copy(engine, int(second.id or 0), actor="cli:ann")
    statuses = {c.text: c.status for c in list_copies(engine, product_id=pid)}
    assert statuses == {"First.": "superseded", "Second.": "approved"}


def test_marketing_copy_goes_live_without_touching_the_description(engine: Engine) -> None:
    pid = _pid(engine)
    with Session(engine) as s:
        old = s.get(Product, pid).description  # type: ignore[union-attr]
    blurb = save_draft(engine, ProductCopy(product_id=pid, kind="marketing", text="Meet it."))
    row, changed = approve_copy(engine, int(blurb.id or 0), actor="cli:ann")
    assert row.status == "approved" and not changed
    with Session(engine) as s:
        assert s.get(Product, pid).description == old  # type: ignore[union-attr]


def test_reject_and_bad_input(engine: Engine) -> None:
    pid = _pid(engine)
    draft = _draft(engine, pid)
    assert reject_copy(engine, int(draft.id or 0), actor="cli:bo").status == "rejected"
    with Session(engine) as s:
        assert s.exec(select(AuditLog).where(AuditLog.action == "reject_copy")).one()
    with pytest.raises(NotFoundError):
        approve_copy(engine, 9999, actor="cli:bo")
    with pytest.raises(InvalidInputError, match="approver"):
        approve_copy(engine, int(_draft(engine, pid).id or 0), actor="")
    with pytest.raises(NotFoundError):
        _draft(engine, "no-such-product")
    with pytest.raises(InvalidInputError, match="kind"):
        save_draft(engine, ProductCopy(product_id=pid, kind="poem", text="x"))


def test_demo_reviews_vary_and_leave_the_rest_of_the_store_unchanged(engine: Engine) -> None:
    with Session(engine) as s:
        reviews = list(s.exec(select(Review)))
    assert len(reviews) > 100
    assert {r.rating for r in reviews} == {1, 2, 3, 4, 5}
    assert all(r.text and r.author for r in reviews)
    pid = reviews[0].product_id
    assert all(r.product_id == pid for r in reviews_for(engine, pid))
    # reviews come from their own random stream: without them, the store is the same


def test_reviews_do_not_change_products_users_or_orders(monkeypatch: pytest.MonkeyPatch) -> None:
    import catalog.demo

    settings = DemoStoreSettings(products=40, users=5)
    with_reviews = generate_store(settings, progress=False)
    monkeypatch.setattr(catalog.demo, "generate_reviews", lambda *a, **k: {})
    without = generate_store(settings, progress=False)
    assert with_reviews["reviews"] and not without["reviews"]
    for key in ("users", "orders"):
        assert with_reviews[key] == without[key]

    # products differ only in what is derived from the reviews (#23: rating, review_count)
    def underived(products: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(products)
        for p in out.values():
            p["attributes"].pop("rating", None)
            p["attributes"].pop("review_count", None)
        return out

    assert underived(with_reviews["products"]) == underived(without["products"])


def test_importer_rejects_a_review_of_an_unknown_product(engine: Engine) -> None:
    store = generate_store(DemoStoreSettings(products=10, users=2), progress=False)
    store["reviews"]["bad"] = {"product_id": "nope", "rating": 5, "text": "x"}
    with pytest.raises(DataImportError, match="review 'bad'"):
        load_store_dict(engine, store, progress=False)
    with Session(engine) as s:  # nothing was replaced
        assert len(list(s.exec(select(Product)))) == 40
