"""The merchant API: admin-only, CSRF on writes, drafts stay drafts until approved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from catalog.models import Product
from catalog.orders.records import AuditLog
from evals.stores import EvalStore
from tests.console_kit import ADMIN, AGENT, LiveApp, console_app, login
from tests.fakes import FakeLLM


@pytest.fixture()
def app(eval_store: EvalStore, tmp_path: Path) -> Iterator[LiveApp]:
    yield from console_app(eval_store, tmp_path)


def _product(app: LiveApp) -> Product:
    with Session(app.services.engine) as s:
        p = s.exec(select(Product).order_by(col(Product.id))).first()
    assert p is not None
    return p


def test_admin_writes_a_draft_and_approves_it(app: LiveApp) -> None:
    p = _product(app)
    llm = app.services.deps.llm
    assert isinstance(llm, FakeLLM)
    feature = p.attributes["features"][0]
    llm.enqueue(f"Meet the {p.name}, with {feature}.")
    admin = login(app.url, ADMIN)
    r = admin.post(f"/v1/merchant/products/{p.id}/copy", json={"kind": "marketing", "tone": "bold"})
    assert r.status_code == 200, r.text
    draft = r.json()
    assert (
        draft["status"] == "draft"
        and draft["ai_written"]
        and draft["created_by"].startswith("staff:")
    )
    assert draft["text"] == f"Meet the {p.name}, with {feature}."
    listed = admin.get("/v1/merchant/copy", params={"status": "draft"}).json()
    assert [d["id"] for d in listed] == [draft["id"]]
    done = admin.post(f"/v1/merchant/copy/{draft['id']}/approve")
    assert done.status_code == 200 and done.json()["copy"]["status"] == "approved"
    assert done.json()["reindexed"] == 0  # marketing copy: the product's description is kept
    with Session(app.services.engine) as s:
        assert s.exec(select(AuditLog).where(AuditLog.action == "approve_copy")).one()
    again = admin.post(f"/v1/merchant/copy/{draft['id']}/approve")
    assert again.status_code == 422 and again.json()["error"]["code"] == "copy_not_draft"
    reviews = admin.get("/v1/merchant/reviews", params={"limit": 3}).json()
    assert len(reviews) == 3 and {"complaints", "positive_share"} <= set(reviews[0])


def test_only_admins_with_csrf_may_use_it(app: LiveApp) -> None:
    p = _product(app)
    anon = httpx.Client(base_url=app.url, timeout=10)
    assert anon.get("/v1/merchant/copy").status_code == 401
    assert anon.post(f"/v1/merchant/products/{p.id}/copy", json={}).status_code == 401
    agent = login(app.url, AGENT)
    assert agent.get("/v1/merchant/copy").status_code == 403
    admin = login(app.url, ADMIN)
    del admin.headers["X-CSRF-Token"]
    r = admin.post(f"/v1/merchant/products/{p.id}/copy", json={"kind": "email"})
    assert r.status_code == 403
    admin = login(app.url, ADMIN)
    bad = admin.post(f"/v1/merchant/products/{p.id}/copy", json={"kind": "poem"})
    assert bad.status_code == 422 and "error" in bad.json()
    missing = admin.post("/v1/merchant/products/nope/copy", json={"kind": "email"})
    assert missing.status_code == 422 and "no product" in missing.json()["error"]["message"]
