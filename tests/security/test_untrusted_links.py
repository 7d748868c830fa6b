"""Untrusted text never becomes a link to a host the shop does not allow.

Model replies (a phishing URL in the answer, or in a command field code echoes), review
quotes (one planted review must not choose what shoppers read) and AI copy drafts (never
"checked against the product data" with a link in them) reach the shopper without links
to foreign hosts, whatever URL tricks they use. The widget's own check is in
tests/web/test_widget_ux.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlmodel import Session, col, delete, select

from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore
from assistant.events import AgentEvent, TokenEvent
from assistant.flows import command
from assistant.flows.agent import FlowAgent
from catalog.models import Product
from catalog.reviews import Review
from tests.security.conftest import Shop, run
from tools.default_registry import default_registry
from tools.summarize_reviews import SummarizeReviewsInput, summarize_reviews
from tools.write_product_description import (
    WriteProductDescriptionInput,
    write_product_description,
)
from tools.writing.facts import catalog_claim_words, load_facts
from tools.writing.verifier import verify_copy

SHOP_HOST = "shop.example"
PHISHING = [
    "Track it at https://evil.example/login now.",
    "[Track your order](https://evil.example/track) now.",
    "Sign in: https://shop.example@evil.example/login",
    "Sign in: HTTPS://EVIL.EXAMPLE/LOGIN",
    "Deals: https://shop.example.evil.example/deal",
    "Deals: https:/evil.example/deal",
    "Refund form: https://evil.example\\@shop.example/form",
    "See www.evil.example/deal for 50% off",
    "[Your order](https://shop.example/orders)https://evil.example/x)",
    "Log in at xhttps://evil.example/login",
]
# What a browser could follow: any http(s) URL whose authority is not exactly the shop.
_ANY_URL = re.compile(r"https?:[/\\]*([^\s/?#)\]]*)", re.IGNORECASE)


def _foreign_hosts(text: str) -> list[str]:
    hosts = [m.group(1).lower() for m in _ANY_URL.finditer(text)]
    bad = [h for h in hosts if h != SHOP_HOST and not h.endswith("." + SHOP_HOST)]
    return bad + (["evil.example"] if "evil.example" in text.lower() else [])


def _turn(chat: ChatService, text: str) -> tuple[str, str]:
    """Run one turn; return (the streamed token text, the stored reply)."""
    tokens: list[str] = []

    async def emit(event: AgentEvent) -> None:
        if isinstance(event, TokenEvent):
            tokens.append(event.text)

    result = run(chat.run_turn(None, text, emit=emit))
    stored = chat.conversations.messages(result.conversation_id, roles=("assistant",))
    assert stored[-1].content == result.reply
    return "".join(tokens), result.reply


@pytest.mark.parametrize("payload", PHISHING)
def test_model_reply_links_are_kept_to_allowed_hosts(shop: Shop, payload: str) -> None:
    shop.chat.link_hosts = frozenset({SHOP_HOST})
    before = shop.snapshot()
    shop.llm.enqueue(f"Sure! {payload} Anything else?")  # streamed in 6-character pieces
    streamed, reply = _turn(shop.chat, "where is my order?")
    assert streamed == reply
    assert _foreign_hosts(reply) == [], reply
    assert reply.startswith("Sure!") and reply.endswith("Anything else?")
    assert shop.snapshot() == before


def test_links_to_the_shops_own_hosts_stay(shop: Shop) -> None:
    shop.chat.link_hosts = frozenset({SHOP_HOST})
    text = (
        "Your orders: https://shop.example/orders/1, and "
        "[returns](https://help.shop.example/returns)."
    )
    shop.llm.enqueue(text)
    streamed, reply = _turn(shop.chat, "where can I see my orders?")
    assert streamed == reply == text


def _flows_chat(shop: Shop) -> ChatService:
    agent = FlowAgent(shop.llm, default_registry("verified"), use_reader=False)
    settings = shop.services.settings.agent
    return ChatService(agent, shop.services.deps, ConversationStore(shop.engine), settings)


SPAM_PRODUCTS = [
    "garden gnome. Free gift card, call 555-0100 to claim",
    "https://evil.example/gnomes",
    "gnomes at deals@evil.example",
]


@pytest.mark.parametrize("product", SPAM_PRODUCTS)
def test_command_words_never_typed_are_not_echoed(shop: Shop, product: str) -> None:
    chat = _flows_chat(shop)
    shop.llm.enqueue(json.dumps({"action": "search", "product": product}))
    streamed, reply = _turn(chat, "do you sell garden gnomes?")
    assert "555" not in reply and "gift" not in reply.lower() and "evil" not in reply, reply
    assert streamed == reply


def test_product_words_must_be_the_shoppers_or_the_catalogs(shop: Shop) -> None:
    vocab = shop.services.deps.searcher.vocabulary
    known = command.catalog_words(vocab.features_by_type)
    some_type = vocab.types[0]

    def product(value: str, message: str) -> str | None:
        cmd = command.Command(action="search", product=value)
        return command.ground(cmd, message, (None, None), catalog_words=known).product

    assert product(some_type.lower(), "zeig mir etwas") == some_type.lower()  # translated
    assert product("gnomes", "any garden gnomes?") == "gnomes"  # typed
    for spam in SPAM_PRODUCTS:
        assert product(spam, "do you sell garden gnomes?") is None, spam
    assert product("https://evil.example", "see https://evil.example") is None


def _product_with_reviews(shop: Shop, reviews: list[tuple[str, int, str]]) -> str:
    with Session(shop.engine) as s:
        product = s.exec(select(Product).order_by(col(Product.id))).first()
        assert product is not None
        pid = product.id
        s.exec(delete(Review).where(col(Review.product_id) == pid))  # type: ignore[call-overload]
        for i, (author, rating, text) in enumerate(reviews):
            s.add(Review(id=f"r-{i}", product_id=pid, rating=rating, text=text, author=author))
        s.commit()
    return pid


HONEST = [
    ("Ann K.", 5, "The quality is good and it feels solid."),
    ("Ben L.", 4, "Nice quality overall."),
    ("Cat M.", 4, "Solid quality, it does the job."),
    ("Dan N.", 4, "Fair value for the money."),
    ("Eve O.", 3, "Decent value overall."),
]
PLANTED = [
    ("Mallory X.", 5, "The quality is absolutely amazing, the best ever, perfect perfect!!!"),
    ("Spam Y.", 5, "Best value ever, amazing deal at https://evil.example/deal!!!"),
    ("Spam Z.", 5, "Amazing value, mail best-deals@evil.example for the best price ever!!!"),
]


def _summary(shop: Shop, reviews: list[tuple[str, int, str]]) -> Any:
    pid = _product_with_reviews(shop, reviews)
    return run(summarize_reviews(shop.ctx("c-reviews"), SummarizeReviewsInput(product_id=pid)))


def test_one_planted_review_does_not_choose_the_quotes(shop: Shop) -> None:
    out = _summary(shop, HONEST + PLANTED)
    quotes = [a.quote for a in [*out.likes, *out.dislikes]]
    assert quotes, out
    planted = {text for _, _, text in PLANTED}
    for quote in quotes:
        assert quote not in planted and "evil" not in quote and "@" not in quote, quote
        assert any(quote in text for _, _, text in HONEST), quote  # an exact honest sentence


LINKED_REVIEWS = [
    "Good value, order more at https://evil.example/deal.",
    "Good value, order more at www.evil.example today.",
    "Good value, questions to deals@evil.example please.",
]


@pytest.mark.parametrize("review", LINKED_REVIEWS)
def test_a_review_sentence_with_a_link_is_never_quoted(shop: Shop, review: str) -> None:
    out = _summary(shop, [*HONEST[:3], ("Spam Y.", 4, review)])  # the only one on value
    quotes = [a.quote for a in [*out.likes, *out.dislikes]]
    assert quotes and not any("evil" in q for q in quotes), quotes


def test_one_reviewer_counts_once_however_many_reviews(shop: Shop) -> None:
    troll = [
        ("Troll T.", 1, "The delivery was terrible."),
        ("Troll T.", 1, "Worst delivery ever."),
        ("troll t.", 1, "Delivery was a disaster, never again."),
        ("Troll T. ", 1, "Delivery was slow and bad."),
    ]
    out = _summary(shop, HONEST + troll)
    delivery = [a for a in out.dislikes if a.aspect == "delivery"]
    assert [a.reviews for a in delivery] == [1], out.dislikes


CLEAN_DRAFT = "A handy pick for every day."
LINKED_DRAFTS = [
    f"{CLEAN_DRAFT} Order yours at https://evil.example/buy",
    f"{CLEAN_DRAFT} Order yours at www.evil.example",
    f"{CLEAN_DRAFT} Questions? Write to deals@evil.example",
]


@pytest.mark.parametrize("draft", LINKED_DRAFTS)
def test_a_linked_copy_draft_is_never_checked(shop: Shop, draft: str) -> None:
    with Session(shop.engine) as s:
        product = s.exec(select(Product).order_by(col(Product.id))).first()
        assert product is not None
        pid = product.id
    facts = load_facts(shop.engine, pid)
    claims = catalog_claim_words(shop.engine)
    assert verify_copy(CLEAN_DRAFT, facts, claims).ok  # the draft is fine but for its link
    assert not verify_copy(draft, facts, claims).ok
    shop.llm.enqueue(draft, CLEAN_DRAFT)
    out = run(
        write_product_description(
            shop.ctx("c-copy"), WriteProductDescriptionInput(product_id=pid, kind="description")
        )
    )
    assert out.text == CLEAN_DRAFT and out.rejected_drafts == 1 and not out.fallback
