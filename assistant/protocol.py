"""The JSON-in-prompt tool-call protocol and its lenient parser.

Small local models fail native ``tools=`` calling but reliably write one JSON object when
asked to. The model answers either with plain text for the shopper, or with exactly::

    {"tool": "<name>", "args": {...}}

The parser forgives what small models actually do: code fences, prose after the object,
the bare string ``null``, single quotes, trailing commas, Python literals, ``arguments``
or ``parameters`` instead of ``args``, and arguments given as a JSON string.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)(?:```|$)", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_NAME_KEYS = ("tool", "name", "tool_name", "function", "action")
_ARG_KEYS = ("args", "arguments", "parameters", "params", "input")
_REPLY_KEYS = ("reply", "response", "message", "answer", "text")


@dataclass(frozen=True)
class ParsedOutput:
    """What the model meant: call a tool, reply to the shopper, or nothing usable."""

    kind: Literal["tool", "reply", "invalid"]
    tool: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    text: str = ""


def looks_like_json(prefix: str) -> bool:
    """Return True when streamed output starting with ``prefix`` should be buffered."""
    head = prefix.lstrip()
    return head.startswith(("{", "`", "[")) or head.lower() in ("n", "nu", "nul", "null")


def _repairs(raw: str) -> list[str]:
    fixed = _TRAILING_COMMA.sub(r"\1", raw)
    pythonic = re.sub(r"\bTrue\b", "true", fixed)
    pythonic = re.sub(r"\bFalse\b", "false", pythonic)
    pythonic = re.sub(r"\bNone\b", "null", pythonic)
    out = [raw, fixed, pythonic]
    if "'" in pythonic and '"' not in pythonic:
        out.append(pythonic.replace("'", '"'))
    return out


def extract_json(text: str) -> Any:
    """Return the first JSON value in ``text`` (after fences), or None if there is none."""
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    decoder = json.JSONDecoder()
    for cand in candidates:
        for start_char in ("{", "["):
            start = cand.find(start_char)
            if start < 0:
                continue
            for attempt in _repairs(cand[start:]):
                try:
                    value, _end = decoder.raw_decode(attempt)
                except json.JSONDecodeError:
                    continue
                return value
    return None


def _as_args(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        parsed = extract_json(value)
        return parsed if isinstance(parsed, dict) else {}
    return value if isinstance(value, dict) else {}


def interpret(obj: Any) -> ParsedOutput:
    """Interpret a decoded JSON value as a tool call or a reply."""
    if isinstance(obj, list):
        return interpret(obj[0]) if obj else ParsedOutput("invalid")
    if not isinstance(obj, dict):
        return ParsedOutput("invalid")
    for wrapper in ("tool_call", "function_call", "call"):
        if isinstance(obj.get(wrapper), dict):
            return interpret(obj[wrapper])
    name: Any = None
    for key in _NAME_KEYS:
        if key in obj:
            name = obj[key]
            if isinstance(name, dict):  # {"function": {"name":..., "arguments":...}}
                return interpret(name)
            break
    args: dict[str, Any] = {}
    for key in _ARG_KEYS:
        if key in obj:
            args = _as_args(obj[key])
            break
    if isinstance(name, str) and name.strip() and name.strip().lower() not in ("null", "none"):
        return ParsedOutput("tool", tool=name.strip(), args=args)
    for key in _REPLY_KEYS:
        if isinstance(obj.get(key), str) and obj[key].strip():
            return ParsedOutput("reply", text=obj[key].strip())
    return ParsedOutput("invalid")


def parse_model_output(text: str) -> ParsedOutput:
    """Parse a complete model output under the JSON-in-prompt protocol."""
    stripped = text.strip()
    unfenced = _FENCE.sub(lambda m: m.group(1), stripped).strip()
    if not unfenced or unfenced.lower() in ("null", "none", "{}", "[]"):
        return ParsedOutput("invalid")
    if not looks_like_json(stripped):
        return ParsedOutput("reply", text=stripped)
    value = extract_json(stripped)
    if value is None:
        inner = _FENCE.sub(lambda m: m.group(1), stripped).strip()
        if inner and not inner.startswith(("{", "[")):
            return ParsedOutput("reply", text=inner)
        return ParsedOutput("invalid")
    return interpret(value)
