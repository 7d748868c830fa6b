"""A name and a zip typed in separate messages sign the shopper in, in either order.

The phrasings are written for these tests; the customer comes from the store.
"""

from __future__ import annotations

import pytest

from tests.assistant.test_flows import Flow


@pytest.mark.parametrize(
    ("opening", "zip_said", "lang"),
    [
        ("hiya, need to send back something i got from you guys", "oh and zip's {zip}", "en"),
        ("Hallo, ich möchte gern eine Bestellung stornieren", "PLZ {zip}", "de"),
        ("bonjour, où en est ma commande ?", "code postal {zip}", "fr"),
        ("hola, quiero devolver algo", "cp {zip}", "es"),
        ("ciao, vorrei cambiare un articolo", "CAP {zip}", "it"),
    ],
)
async def test_the_name_then_the_zip(flow: Flow, opening: str, zip_said: str, lang: str) -> None:
    c = flow.customer("pending")
    await flow.say(opening)
    asked = await flow.say(f"{c['first_name']} {c['last_name']}")
    assert c["first_name"] in asked.reply, asked.reply  # "Thanks, Aarav. And your zip code?"
    await flow.say(zip_said.format(zip=c["zip"]))
    r = await flow.say(f"where is {c['pending_order']}?")
    assert c["pending_order"] in r.reply, r.reply


async def test_the_zip_then_the_name(flow: Flow) -> None:
    c = flow.customer("pending")
    await flow.say("where is my order")
    await flow.say(f"zip {c['zip']}")
    await flow.say(f"{c['first_name']} {c['last_name']}")
    r = await flow.say(f"and {c['pending_order']}?")
    assert c["pending_order"] in r.reply, r.reply


async def test_a_wrong_zip_after_a_name_signs_nobody_in(flow: Flow) -> None:
    c = flow.customer("pending")
    await flow.say("where is my order")
    await flow.say(f"{c['first_name']} {c['last_name']}")
    wrong = "00000" if c["zip"] != "00000" else "11111"
    refused = await flow.say(f"zip {wrong}")
    assert "couldn't verify" in refused.reply, refused.reply
    r = await flow.say(f"where is {c['pending_order']}?")
    assert "verify you" in r.reply and not r.tools_used, r.reply  # still asked to sign in


@pytest.mark.parametrize(
    ("said", "at", "dot"),
    [
        ("sure, email is {email}", " at ", " dot "),
        ("mi correo es {email}", " arroba ", " punto "),
        ("c'est {email}", " [at] ", " [dot] "),
    ],
)
async def test_an_email_spelled_out_signs_in(flow: Flow, said: str, at: str, dot: str) -> None:
    c = flow.customer("pending")
    spelled = c["email"].replace("@", at).replace(".", dot)
    await flow.say("where is my order")
    await flow.say(said.format(email=spelled))
    r = await flow.say(f"and {c['pending_order']}?")
    assert c["pending_order"] in r.reply, r.reply
