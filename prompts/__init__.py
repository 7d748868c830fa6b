"""Prompt templates (text files only); ``load`` reads one by name."""

from __future__ import annotations

from importlib import resources


def load(name: str) -> str:
    """Return the template ``prompts/<name>.txt``."""
    return resources.files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
