"""The dense index on a real ``chroma run`` server behaves as the embedded one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from pydantic import ValidationError

from assistant.bootstrap import AppServices
from assistant.llm.local_server import free_port
from assistant.settings import Settings
from catalog.errors import InvalidInputError
from retrieval.chroma_url import parse_chroma_url
from retrieval.config import RetrievalSettings
from retrieval.dense import DenseIndex
from retrieval.embedder import Embedder
from retrieval.errors import RetrievalError
from retrieval.hybrid import HybridSearcher
from retrieval.indexer import load_docs, sync_dense_index
from tests.chroma_server import running_chroma
from tests.retrieval.test_hybrid import QUERIES

BAD_URLS = [
    "chroma:8000",
    "localhost",
    "ftp://chroma:8000",
    "http://",
    "http://chroma:port",
    "http://chroma:99999",
    "http://user:secret@chroma:8000",
    "http://chroma:8000/some/path",
]


class KnownVectors:
    """The real embedder, but product texts already in ``index`` are answered from it.

    Embedding the 400 test products again costs ~20 s of CPU; the vectors are the ones the
    embedder made for the same texts, so the build on the server is otherwise unchanged.
    """

    def __init__(self, embedder: Embedder, docs: dict[str, str], index: DenseIndex) -> None:
        self.embedder = embedder
        stored = index.vectors(list(docs))
        self.known = {text: stored[pid] for pid, text in docs.items() if pid in stored}
        self.encoded = 0

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        if all(t in self.known for t in texts):
            self.encoded += len(texts)
            return np.stack([self.known[t] for t in texts])
        return self.embedder.encode(texts)


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module; each test uses its own collection."""
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


def test_server_index_equals_the_embedded_one(
    shared_services: AppServices, chroma_url: str
) -> None:
    s = shared_services
    embedded = s.deps.searcher.dense
    embedder = s.deps.searcher.embedder
    server = DenseIndex(None, "products", embedding_model=embedded.embedding_model, url=chroma_url)
    assert server.server is not None and server.server.url == chroma_url
    # Both searchers without the multilingual vectors, so only the dense index differs.
    on_disk = HybridSearcher(s.engine, embedder, embedded, s.settings.retrieval)
    assert on_disk.refresh(progress=False).embedded == 0  # so its vectors match the texts
    known = KnownVectors(embedder, {d.product_id: d.text for d in load_docs(s.engine)}, embedded)
    on_server = HybridSearcher(s.engine, known, server, s.settings.retrieval)  # type: ignore[arg-type]
    first = on_server.refresh(progress=False)
    assert first.embedded == first.total == embedded.count() == server.count() == known.encoded
    assert server.hashes() == embedded.hashes()

    again = on_server.refresh(progress=False)
    assert (again.embedded, again.unchanged, again.removed) == (0, first.total, 0)

    ids = sorted(embedded.hashes())[:50]
    mine, theirs = server.vectors(ids), embedded.vectors(ids)
    assert mine.keys() == theirs.keys() == set(ids)
    for pid in ids:
        np.testing.assert_allclose(mine[pid], theirs[pid], rtol=1e-6, atol=1e-6)

    for query in QUERIES[:6]:
        for mode in ("hybrid", "dense"):
            want = on_disk.search(query, limit=10, mode=mode)
            got = on_server.search(query, limit=10, mode=mode)
            assert [h.product_id for h in got] == [h.product_id for h in want], (query, mode)
            assert [h.score for h in got] == pytest.approx([h.score for h in want], abs=1e-6)
    vec = embedder.encode(["waterproof hiking boots"])[0]
    assert [p for p, _ in server.query(vec, 20)] == [p for p, _ in embedded.query(vec, 20)]


def test_server_build_is_incremental(shared_services: AppServices, chroma_url: str) -> None:
    embedder = shared_services.deps.searcher.embedder
    docs = load_docs(shared_services.engine)[:40]
    dense = DenseIndex(None, "incremental", embedding_model="m", url=chroma_url)
    first = sync_dense_index(docs, dense, embedder, progress=False)
    assert (first.embedded, first.unchanged) == (40, 0)
    again = sync_dense_index(docs, dense, embedder, progress=False)
    assert (again.embedded, again.unchanged, again.removed) == (0, 40, 0)
    assert dense.hashes() == {d.product_id: d.content_hash for d in docs}

    fewer = sync_dense_index(docs[:30], dense, embedder, progress=False)
    assert (fewer.embedded, fewer.unchanged, fewer.removed) == (0, 30, 10)
    dense.delete([docs[0].product_id])
    assert dense.count() == 29
    assert set(dense.hashes()) == {d.product_id for d in docs[1:30]}
    assert dense.vectors([docs[0].product_id, docs[1].product_id]).keys() == {docs[1].product_id}

    # another client on the same server sees the same vectors
    assert DenseIndex(None, "incremental", embedding_model="m", url=chroma_url).count() == 29


def test_model_change_resets_the_server_collection(chroma_url: str) -> None:
    dense = DenseIndex(None, "models", embedding_model="m", url=chroma_url)
    vectors = np.eye(3, dtype=np.float32)
    dense.upsert(["a", "b", "c"], vectors, [{"content_hash": h} for h in "xyz"], ["A", "B", "C"])
    assert DenseIndex(None, "models", embedding_model="m", url=chroma_url).count() == 3
    other = DenseIndex(None, "models", embedding_model="other", url=chroma_url)
    assert other.count() == 0 and other.embedding_model == "other"
    # and the reset collection now belongs to the new model
    assert DenseIndex(None, "models", embedding_model="other", url=chroma_url).count() == 0


def test_bad_collection_name_on_the_server_fails_clearly(chroma_url: str) -> None:
    with pytest.raises(RetrievalError, match="cannot open collection"):
        DenseIndex(None, "x", embedding_model="m", url=chroma_url)


def test_unreachable_server_fails_clearly(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(RetrievalError, match=re.escape(url)) as caught:
        DenseIndex(tmp_path, "products", embedding_model="m", url=url)
    assert "chroma run" in caught.value.message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_server_that_goes_away_fails_clearly(tmp_path: Path) -> None:
    with running_chroma(tmp_path) as url:
        dense = DenseIndex(None, "gone", embedding_model="m", url=url)
    with pytest.raises(RetrievalError, match=re.escape(url)):
        dense.count()
    with pytest.raises(RetrievalError, match="chroma run"):
        dense.query(np.ones(3, dtype=np.float32), 5)


@pytest.mark.parametrize("url", BAD_URLS)
def test_malformed_url_fails_clearly(url: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="malformed Chroma URL"):
        DenseIndex(tmp_path, "products", embedding_model="m", url=url)
    with pytest.raises(ValidationError, match="malformed Chroma URL"):
        RetrievalSettings(chroma_url=url)


def test_no_path_and_no_url_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="path"):
        DenseIndex(None, "products", embedding_model="m")


def test_url_parsing() -> None:
    plain = parse_chroma_url("http://chroma:8000")
    assert (plain.host, plain.port, plain.ssl) == ("chroma", 8000, False)
    tls = parse_chroma_url("https://vectors.example.com/")
    assert (tls.url, tls.host, tls.port, tls.ssl) == (
        "https://vectors.example.com",
        "vectors.example.com",
        443,
        True,
    )
    assert parse_chroma_url("http://10.0.0.5").port == 8000


def test_chroma_url_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_RETRIEVAL__CHROMA_URL", "http://chroma:8000")
    s = Settings(_env_file=None, data_dir="/tmp/x")
    assert s.retrieval.chroma_url == "http://chroma:8000"
    assert s.retrieval.chroma_path == "/tmp/x/chroma"  # still set: the multilingual vectors
    monkeypatch.setenv("SHOP_RETRIEVAL__CHROMA_URL", "")
    assert Settings(_env_file=None).retrieval.chroma_url is None
    monkeypatch.delenv("SHOP_RETRIEVAL__CHROMA_URL")
    assert Settings(_env_file=None).retrieval.chroma_url is None
