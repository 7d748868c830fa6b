"""Where the app's static files live."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def web_dir() -> Path:
    """Folder holding the widget's and the console's static files."""
    return Path(str(resources.files("web")))
