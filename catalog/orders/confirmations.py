"""Explicit confirmation before every write: propose → token → confirm → execute once.

A proposal runs the action as a dry run (same code, rolled back), so anything the policy
forbids is refused before a token exists. Executing claims the token with a conditional
UPDATE in the same transaction that applies the action and writes the audit row: two
simultaneous confirmations produce one execution, and a replay returns the first result.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from catalog.conversations import Message
from catalog.db import connection
from catalog.errors import ConfirmationError, InvalidInputError, ShopError
from catalog.orders.actions import WRITE_ACTIONS
from catalog.orders.records import AuditLog, PendingAction
from catalog.orders.summaries import summarize
from catalog.orders.views import load_order, load_user, order_view, user_view

DEFAULT_TTL = timedelta(minutes=15)
_YES_WORD = (
    r"(?:yes|y|yeah|yea|ya|yep|yup|sure|ok(?:ay)?|alright|all right|absolutely|definitely|"
    r"sounds good|perfect|great|confirm(?:ed)?|i confirm|go ahead|do it|proceed|"
    r"please do|correct|that'?s (?:right|correct)|ja|jawohl|genau|oui|d'accord|s[ií]|claro|"
    r"vale|certo|va bene|sì|mach das|mach es|bestätige|vas-y|vas y|allez-y|allez y|"
    r"je confirme|confirme|"
    r"c'est bon|adelante|dale|hazlo|confirmo|procede|procedi|confermo|conferma|fallo|vai|"
    r"passt|alles klar|in ordnung|einverstanden|parfait|perfecto|perfetto|listo|ottimo|"
    r"jap|japp|jep|jepp|jup|jo|joa|ouais|ouaip|ouep|yess+|yass?|yeh|yah|sip|sisi|s[ií] s[ií])"
)
_YES_START = re.compile(rf"^\W*{_YES_WORD}(?=[\s,.!]|$)", re.IGNORECASE)
# What may follow the yes word: thanks, more yes, and words that restate the change being
# confirmed ("yes please cancel it", "sí, adelante, cancélalo", "sì, confermo il cambio"),
# or point back at it ("sí, el reembolso a la misma tarjeta": the card shown).
# A closed list: anything else ("yes but change the address first", "yes for the boots",
# an order number) is no plain yes. Which change a restatement names is checked by the
# caller against the waiting proposal.
_REST_WORDS = frozenset(
    """
    please go ahead do it proceed confirm confirmed thanks thank you that that's thats right
    one exactly it's its update save apply address shipping delivery payment method
    item items size color colour send ship submit new place
    correct the order change exchange return cancel refund swap switch pay sounds looks
    works good fine great perfect is all yes yeah yep sure ok okay just and then now
    cool alright awesome nice sweet go for let's lets ahead yea ya absolutely definitely
    charge it fine difference like this that way così cosi así asi comme ça ça ca
    abbuchen belasten differenz débiter débitez débite prélever prélevez différence
    cóbralo cobralo cóbramelo cobramelo cobrar cóbrame cobrame cárgalo cargalo diferencia
    addebita addebitalo addebitare differenza
    to with on via auf über per mit zu sur avec par à con en a por su in
    bitte danke ja mach machen machs das es los bestätige bestätigt bestätigen passt so gut
    alles klar in ordnung gerne genau stornieren storniere stornier sie ihn die den
    bestellung umtausch umtauschen ändern änderung perfekt super richtig und dann jetzt
    einverstanden prima klasse cool top weiter durchführen umstellen umstellung zahlung
    zahlungsart adresse abschicken absenden ausführen lieferadresse größe farbe artikel
    rückgabe rücksendung zurückschicken zurücksenden tauschen erstatten erstattung ok okay
    merci oui s'il vous plaît plait vas-y allez-y confirme confirmez je c'est bon parfait
    très bien d'accord annule annulez annuler la le les commande échange échanger retour
    changement changer exact exactement tout à fait fais faites pouvez peux y aller et
    alors ça ca marche super top nickel cool valide validez remboursement rembourser retourner
    renvoyer paiement envoie envoyez envoyer taille couleur article
    adresse moyen modification modifier ok okay annulez-la annulez-le annule-la annule-le
    fais-le faites-le change-la change-le changez-la changez-le
    por favor gracias sí si adelante dale hazlo confirmo procede perfecto de acuerdo está
    esta vale claro cancélalo cancélala cancelalo cancelala cancela cancelar el lo pedido
    cambio cámbialo cambialo cámbiala cambiala devolución devuélvelo correcto todo y
    entonces puedes puede hacerlo genial listo bien venga guay devolver devuélvelo devuelvelo
    reembolso
    pago dirección direccion método metodo confirmar confirmado cambiar anular anúlalo
    anulalo ok okay envíalo envialo enviar talla color artículo articulo
    grazie per favore procedi pure confermo conferma fallo vai va bene perfetto certo il
    ordine cambia cambialo reso d'accordo tutto giusto esatto e allora puoi procedere
    con l'annullamento annullamento annullare l'ordine restituire rimborso pagamento
    indirizzo l'indirizzo sostituzione ok okay ottimo benissimo bene invia inviare taglia
    colore articolo
    pls plz plss pleasee thx ty tysm stp svp porfa porfis porfi xfa
    bitteschön dankeschön beaucoup muchas mille now jetzt maintenant ahora
    adesso ora ya è es ist est c'est it's its then dann alors luego poi quindi
    exacto esatta exacte hecho fatto erledigt
    you can could vous tu du kannst können könnt confirmer confirmez pouvez peux puoi può
    vas allez go vamos dai andiamo mach's geht's
    me moi mich mir mí mi pour für para per
    same gleiche gleichen selbe selben même mêmes misma mismo mismas mismos stessa stesso
    stessi stesse
    """.split()
)
_REST_SPLIT = re.compile(r"[\s,.!]+")
_SHOWN_SPLIT = re.compile(r"[^\w']+")
_NEGATION = re.compile(
    r"\b(no|nope|not|don'?t|do not|never mind|nevermind|nein|nicht|non|pas|nada|annulla)\b",
    re.IGNORECASE,
)


def is_explicit_yes(text: str, proposed: str = "") -> bool:
    """Return True only for a short, unambiguous confirmation, in any supported language.

    "yes", "yes please", "ja, bitte", "oui merci", "sí, por favor" — but not "yes but change
    the address first", "not yet" or anything with a negation. The one rule for every path
    (the confirm tool, the flows assistant, the chat service's proposal binding).

    ``proposed`` is the reply that showed the change: a yes may repeat its words ("ja,
    bitte auf PayPal umstellen" to a payment change to PayPal), and no others.
    """
    text = text or ""
    start = _YES_START.match(text)
    if len(text) > 60 or start is None or _NEGATION.search(text):
        return False
    rest = [w for w in _REST_SPLIT.split(text[start.end() :].lower()) if w]
    shown = {w for w in _SHOWN_SPLIT.split(proposed.lower()) if len(w) >= 3}
    return all(
        _restates(w, shown) or _restates(_ELISION.sub("", w), shown) for w in rest
    )  # ("l'échange" restates "échange", "dell'ordine" restates "ordine")


# An article or pronoun elided onto the next word: "l'échange", "j'confirme", "dell'ordine".
_ELISION = re.compile(r"^(?:[ldjcsmt]|qu|dell|all|nell|sull|dall)['’]")


def _restates(word: str, shown: set[str]) -> bool:
    """Whether one word after the yes is thanks, more yes, or restates the change shown."""
    if not any(c.isalnum() for c in word):
        return True  # an emoji or a mark: "sí 👍"
    return word in _REST_WORDS or word in shown or _clitic_form(word)


# Italian and Spanish verbs take their object as an ending ("annullalo", "cancélamelo"):
# such a word restates the change when its verb does ("annulla" → "annullare")
_CLITIC = re.compile(r"(?:me|te|se|ce|ve|glie)?(?:lo|la|li|le|ne)$")
_ACCENTS = str.maketrans("áéíóú", "aeiou")


def _clitic_form(word: str) -> bool:
    """Return True for a verb with an object ending whose verb is a restating word."""
    stem = _CLITIC.sub("", word)
    if stem == word or len(stem) < 4:
        return False
    plain = stem.translate(_ACCENTS)
    return any(v in _REST_WORDS for v in (stem, plain, plain + "r", plain + "re"))


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Proposal:
    """A validated, not yet executed write."""

    token: str
    action: str
    summary: str
    expires_at: datetime


@dataclass(frozen=True)
class Execution:
    """The outcome of a confirmed write; ``replayed`` when the token had already run."""

    token: str
    action: str
    result: dict[str, Any]
    replayed: bool


def _snapshot(session: Session, action: str, actor: str, args: dict[str, Any]) -> dict[str, Any]:
    if "order_id" in args:
        return order_view(session, load_order(session, str(args["order_id"])))
    return user_view(session, load_user(session, actor))


def propose(
    engine: Engine,
    *,
    conversation_id: str,
    user_id: str,
    action: str,
    args: dict[str, Any],
    turn_id: str = "",
    ttl: timedelta = DEFAULT_TTL,
    proposed_by: str = "",
) -> Proposal:
    """Validate ``action`` by a rolled-back dry run and store it as pending."""
    fn = WRITE_ACTIONS.get(action)
    if fn is None:
        raise InvalidInputError(f"unknown write action {action!r}")
    with Session(engine) as session:
        before = _snapshot(session, action, user_id, args)
        try:
            after = fn(session, user_id, **args)
        finally:
            session.rollback()
    token = secrets.token_urlsafe(12)
    expires = _now() + ttl
    summary = summarize(action, args, before, after)
    with Session(engine) as session:
        session.add(
            PendingAction(
                token=token,
                conversation_id=conversation_id,
                user_id=user_id,
                action=action,
                args={**args, "_turn": turn_id},
                summary=summary,
                proposed_by=proposed_by,
                created_at=_now(),
                expires_at=expires,
            )
        )
        session.commit()
    return Proposal(token, action, summary, expires)


def pending_for(engine: Engine, token: str) -> PendingAction | None:
    """Return the stored proposal for ``token`` (None if unknown)."""
    with Session(engine) as session:
        return session.get(PendingAction, token.strip())


def execute(
    engine: Engine, token: str, *, conversation_id: str, user_id: str, turn_id: str = ""
) -> Execution:
    """Execute a pending action exactly once; a repeated token returns the first result."""
    pending = pending_for(engine, token)
    if pending is None:
        raise ConfirmationError("unknown confirmation token; nothing was proposed with it")
    if pending.conversation_id != conversation_id or pending.user_id != user_id:
        raise ConfirmationError("this confirmation token belongs to another conversation")
    if pending.status == "executed":
        return Execution(pending.token, pending.action, pending.result, replayed=True)
    if pending.status != "pending":
        raise ConfirmationError(f"this action was {pending.status}; propose it again")
    if turn_id and pending.args.get("_turn") == turn_id:
        raise ConfirmationError("the customer must confirm in a later message")
    if _aware(pending.expires_at) < _now():
        raise ConfirmationError("this confirmation expired; propose the action again")
    args = {k: v for k, v in pending.args.items() if k != "_turn"}
    with Session(engine) as session:
        claimed = session.execute(
            update(PendingAction)
            .where(col(PendingAction.token) == pending.token)
            .where(col(PendingAction.status) == "pending")
            .values(status="executed", executed_at=_now())
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            again = pending_for(engine, token)
            if again is not None and again.status == "executed":
                return Execution(again.token, again.action, again.result, replayed=True)
            raise ConfirmationError("this action is no longer pending")
        try:
            before = _snapshot(session, pending.action, user_id, args)
            result = WRITE_ACTIONS[pending.action](session, user_id, **args)
        except ShopError:
            session.rollback()
            _mark(engine, pending.token, "failed")
            raise
        session.add(
            AuditLog(
                conversation_id=conversation_id,
                user_id=user_id,
                action=pending.action,
                args=args,
                token=pending.token,
                actor=pending.proposed_by,
                before=before,
                after=result,
            )
        )
        row = session.get(PendingAction, pending.token)
        assert row is not None
        row.result = result
        session.add(row)
        # The conversation's record of the action, in the same transaction: a crash after
        # the commit still leaves the chat showing what was done, exactly once.
        session.add(
            Message(
                message_id=f"action-{pending.token}",
                conversation_id=conversation_id,
                role="action",
                content=f"Done: {pending.summary}",
                name=pending.action,
            )
        )
        session.commit()
    return Execution(pending.token, pending.action, result, replayed=False)


def decline(engine: Engine, token: str, *, conversation_id: str) -> bool:
    """Void a pending proposal of this conversation (the customer said no, or moved on).

    Returns True when a pending proposal was voided; a declined token can never execute.
    """
    pending = pending_for(engine, token)
    if pending is None or pending.conversation_id != conversation_id:
        return False
    if pending.status != "pending":
        return False
    _mark(engine, pending.token, "declined")
    return True


def void_stale(
    engine: Engine,
    conversation_id: str,
    *,
    keep_turn: str | None,
    read_with: Connection | None = None,
) -> int:
    """Void every pending proposal of the conversation except those made in ``keep_turn``.

    Called before each shopper message: a proposal stays confirmable only through an
    explicit yes in the very next message (or the widget's button for it). Returns the
    number voided. ``read_with`` looks the proposals up on the caller's connection (one
    pool checkout per turn); the rare void is written on a connection of its own.
    """
    table = PendingAction.__table__  # type: ignore[attr-defined]
    stale = [
        token
        for token, turn in _pending(engine, conversation_id, read_with)
        if keep_turn is None or turn != keep_turn
    ]
    if stale:
        with engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.token.in_(stale))
                .where(table.c.status == "pending")
                .values(status="voided")
            )
    voided = len(stale)
    return voided


_ACTIONS = PendingAction.__table__  # type: ignore[attr-defined]
# Built once with bound parameters (read before every shopper message).
_PENDING = (
    select(_ACTIONS.c.token, _ACTIONS.c.args)
    .where(_ACTIONS.c.conversation_id == bindparam("cid"))
    .where(_ACTIONS.c.status == "pending")
)


def _pending(
    engine: Engine, conversation_id: str, conn: Connection | None = None
) -> list[tuple[str, str | None]]:
    """Return (token, turn it was proposed in) of the conversation's pending proposals."""
    with connection(engine, conn) as c:
        rows = c.execute(_PENDING, {"cid": conversation_id}).all()
    return [(token, (args or {}).get("_turn")) for token, args in rows]


def pending_in_turn(engine: Engine, conversation_id: str, turn_id: str) -> str | None:
    """Return the token of the pending proposal made in ``turn_id``, if there is one."""
    for token, turn in _pending(engine, conversation_id):
        if turn == turn_id:
            return token
    return None


def sole_pending(engine: Engine, conversation_id: str) -> str | None:
    """Return the token of the conversation's only pending proposal (None if 0 or several)."""
    tokens = [token for token, _ in _pending(engine, conversation_id)]
    return tokens[0] if len(tokens) == 1 else None


def _mark(engine: Engine, token: str, status: str) -> None:
    with Session(engine) as session:
        row = session.get(PendingAction, token)
        if row is not None and row.status == "pending":
            row.status = status
            session.add(row)
            session.commit()
