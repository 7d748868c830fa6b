from __future__ import annotations

import pytest

from assistant.protocol import looks_like_json, parse_model_output


@pytest.mark.parametrize(
    "text",
    [
        '{"tool": "search_catalog", "args": {"query": "boots", "max_price": 150}}',
        '```json\n{"tool": "search_catalog", "args": {"query": "boots", "max_price": 150}}\n```',
        '```\n{"tool": "search_catalog", "args": {"query": "boots", "max_price": 150}}\n```\nHope it helps',
        '{"tool": "search_catalog", "args": {"query": "boots", "max_price": 150}} I will search now.',
        "{'tool': 'search_catalog', 'args': {'query': 'boots', 'max_price': 150}}",
        '{"tool": "search_catalog", "args": {"query": "boots", "max_price": 150,},}',
        '{"name": "search_catalog", "arguments": "{\\"query\\": \\"boots\\", \\"max_price\\": 150}"}',
        '{"function": {"name": "search_catalog", "parameters": {"query": "boots", "max_price": 150}}}',
        '[{"tool_call": {"tool": "search_catalog", "args": {"query": "boots", "max_price": 150}}}]',
    ],
)
def test_tool_calls_parse_leniently(text: str) -> None:
    parsed = parse_model_output(text)
    assert parsed.kind == "tool"
    assert parsed.tool == "search_catalog"
    assert parsed.args == {"query": "boots", "max_price": 150}


@pytest.mark.parametrize(
    "text", ["null", "  NULL ", "", "```json\nnull\n```", "{}", '{"tool": null}', '{"broken": ']
)
def test_unusable_outputs_are_invalid(text: str) -> None:
    assert parse_model_output(text).kind == "invalid"


@pytest.mark.parametrize(
    "text, reply",
    [
        ("Hi! How can I help?", "Hi! How can I help?"),
        ('{"tool": null, "reply": "Hello there"}', "Hello there"),
        ('{"tool": "none", "response": "Sure."}', "Sure."),
        ("```\nJust some prose\n```", "Just some prose"),
    ],
)
def test_replies(text: str, reply: str) -> None:
    parsed = parse_model_output(text)
    assert (parsed.kind, parsed.text) == ("reply", reply)


def test_streaming_decision_prefixes() -> None:
    assert looks_like_json(' {"to')
    assert looks_like_json("```")
    assert looks_like_json("nul")
    assert not looks_like_json("Hello")
    assert not looks_like_json("Sure")
