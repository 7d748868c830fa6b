"""Emails typed or spelled out, read by their format wherever they stand; a spelled-out
address counts as typed for the sign-in check."""

from __future__ import annotations

import pytest

from catalog.emails import email_of


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("sure, email is sofia dot novak8591 at example dot com", "sofia.novak8591@example.com"),
        ("mi correo es ana punto ruiz arroba example punto com", "ana.ruiz@example.com"),
        ("c'est jean point dupont arobase mail point fr", "jean.dupont@mail.fr"),
        ("lena [at] example [dot] com pls", "lena@example.com"),
        ("la mia mail è marco chiocciola posta punto it", "marco@posta.it"),
        ("ciao, sono Ava.Cohen1213@example.com.", "ava.cohen1213@example.com"),
        # brackets round a word of any language, and signs typed with spaces round them
        ("meine Mail: tom.berg42 (at) example (punkt) de", "tom.berg42@example.de"),
        ("mi correo es LUIS.MORA77 @ example . com", "luis.mora77@example.com"),
        ("j.doe(@)example(.)org is me", "j.doe@example.org"),
    ],
)
def test_an_email_is_read_typed_or_spelled_out(text: str, email: str) -> None:
    assert email_of(text) == email


@pytest.mark.parametrize(
    "text",
    [
        "meet me at home",
        "i am at the shop dot com",
        "see you at 5. dot",
        "the tent at camp dot",
        "what is it made of",
        "i'm at home. com on",
        "see you at 5 . Ok",
    ],
)
def test_words_that_only_look_like_an_email_give_none(text: str) -> None:
    assert email_of(text) is None


def test_a_spelled_out_email_counts_as_typed_for_the_sign_in_check() -> None:
    from catalog.emails import emails_in

    said = "sure, email is sofia dot novak8591 at example dot com, and ann.lee@x.com"
    assert emails_in(said) == ["ann.lee@x.com", "sofia.novak8591@example.com"]
    assert "bob@example.com" not in emails_in(said)
