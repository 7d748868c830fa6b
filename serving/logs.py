"""Structured logs: one JSON object per line, with the ids a record carries, never its text."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

_IDS = re.compile(r"\b(conversation|message)=(\S+)")


class JsonFormatter(logging.Formatter):
    """Format records as JSON; ``conversation=…``/``message=…`` pairs become fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return one JSON line."""
        message = record.getMessage()
        out: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        for key, value in _IDS.findall(message):
            out[f"{key}_id"] = value
        if record.exc_info and record.exc_info[0] is not None:
            out["exception"] = record.exc_info[0].__name__
        return json.dumps(out, ensure_ascii=False)
