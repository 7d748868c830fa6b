"""A default install signs customers in out of the box (#23): with
``SHOP_IDENTITY__CUSTOMER_TOKEN_SECRET`` unset, ``shopassist customer-token`` and the app
share a development secret generated once into the data folder."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assistant.bootstrap import AppServices, order_service
from assistant.settings import Settings
from catalog.models import User
from serving.app import create_app
from serving.cli import main


def test_cli_mints_a_token_without_a_secret_and_the_app_accepts_it(
    services: AppServices,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    var = tmp_path / "var"
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.delenv("SHOP_IDENTITY__CUSTOMER_TOKEN_SECRET", raising=False)
    monkeypatch.setenv("SHOP_DATA_DIR", str(var))
    with Session(services.engine) as s:
        user = s.exec(select(User)).first()
        assert user is not None

    assert main(["customer-token", user.id]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert token.startswith("v1.") and len(out.splitlines()) == 1
    assert "SHOP_IDENTITY__CUSTOMER_TOKEN_SECRET is unset" in err
    assert "development secret" in err and str(var) in err
    secret_file = var / "customer_token_secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600

    # The app started on the same data folder, secret unset, wired as `shopassist serve` does.
    settings = Settings(_env_file=None, data_dir=str(var))
    assert settings.identity.customer_token_secret is None
    orders = order_service(services.engine, settings)
    app = create_app(replace(services, deps=replace(services.deps, orders=orders)))
    with TestClient(app) as client, client.websocket_connect("/ws/chat") as ws:
        conv = ws.receive_json()["conversation_id"]
        ws.send_text(json.dumps({"type": "identify", "customer_token": token}))
        assert ws.receive_json() == {"type": "identified"}
    assert orders.actor(conv) == user.id

    # a second mint reuses the secret and says so
    assert main(["customer-token", user.id]) == 0
    assert "kept in" in capsys.readouterr().err
