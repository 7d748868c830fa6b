"""The shopper's cart: lines of variants at the price they had when added.

A guest's cart belongs to the conversation. Once the conversation is bound to a customer
(``Conversation.user_id``), the customer's cart is used, and the guest lines of that
conversation move into it (quantities of the same variant add up), so signing in never
loses a line and a customer's cart follows them into their next conversation.

Rules kept here, whatever asks: only an in-stock variant can be added or chosen; a line's
unit price is the store's price at add time; a quantity is 1 … ``MAX_QUANTITY``; the total
counts only lines whose variant is still sold and in stock (others are flagged
``available: false`` and left for the shopper to remove).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from urllib.parse import quote
from uuid import uuid4

from pydantic import BaseModel
from pydantic import Field as PydField
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from catalog.conversations import Conversation
from catalog.errors import InvalidInputError, NotFoundError, UnavailableError
from catalog.models import Product, Variant, utcnow

# This server's own demo checkout page (serving/cart_api.py); shops set their own link.
DEFAULT_CHECKOUT = "/checkout?cart={lines}"
MAX_QUANTITY = 99
MAX_LINES = 50


class Cart(SQLModel, table=True):
    """A cart: a guest conversation's (``conversation_id``) or a customer's (``user_id``)."""

    id: str = Field(primary_key=True)
    conversation_id: str | None = Field(default=None, index=True)
    user_id: str | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class CartLine(SQLModel, table=True):
    """One variant in a cart, its quantity and its unit price when it was added."""

    __table_args__ = (UniqueConstraint("cart_id", "variant_id"),)

    pk: int | None = Field(default=None, primary_key=True)
    cart_id: str = Field(foreign_key="cart.id", index=True)
    product_id: str
    variant_id: str
    name: str
    options: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    quantity: int
    unit_price: float
    added_at: datetime = Field(default_factory=utcnow)


class CartLineView(BaseModel):
    """One cart line as clients, tools and evaluations see it."""

    id: int
    product_id: str
    variant_id: str
    name: str
    product_type: str = ""
    options: dict[str, str] = PydField(default_factory=dict)
    quantity: int
    unit_price: float
    line_total: float
    available: bool = PydField(description="False: out of stock or gone; not in the total.")


class CartView(BaseModel):
    """The whole cart: lines in the order added, the total of the available lines."""

    lines: list[CartLineView] = PydField(default_factory=list)
    total: float = 0.0
    item_count: int = PydField(default=0, description="Sum of quantities of available lines.")

    def line(self, line_id: int) -> CartLineView:
        """Return the line ``line_id`` (NotFoundError if the cart has none)."""
        for line in self.lines:
            if line.id == line_id:
                return line
        raise NotFoundError(f"the cart has no line {line_id}")

    def checkout_lines(self) -> str:
        """Return ``variant:quantity`` pairs of the available lines, comma-joined."""
        return ",".join(
            f"{quote(ln.variant_id, safe='')}:{ln.quantity}" for ln in self.lines if ln.available
        )


def checkout_url(view: CartView, template: str, *, conversation_id: str = "") -> str | None:
    """Fill the shop's checkout template; None when nothing in the cart can be bought.

    Placeholders: ``{lines}`` (``variant_id:quantity,…``, as Shopify's cart permalink takes
    them) and ``{conversation_id}``.
    """
    lines = view.checkout_lines()
    if not lines or not template:
        return None
    return template.replace("{lines}", lines).replace(
        "{conversation_id}", quote(conversation_id, safe="")
    )


def _lock(engine: Engine) -> AbstractContextManager[object]:
    from catalog.db import write_lock  # catalog.db imports this module for its tables

    return write_lock(engine)


def _quantity(quantity: int) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise InvalidInputError("quantity must be a whole number")
    if quantity < 1 or quantity > MAX_QUANTITY:
        raise InvalidInputError(
            f"quantity must be between 1 and {MAX_QUANTITY}", code="quantity_out_of_range"
        )
    return quantity


class CartService:
    """Reads and changes carts in the store, one transaction per call."""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine`` for every read and write."""
        self.engine = engine

    # -- reading ---------------------------------------------------------------------------
    def view(self, conversation_id: str) -> CartView:
        """Return the conversation's cart (empty when it has none)."""
        with _lock(self.engine), Session(self.engine) as session:
            cart = self._cart(session, conversation_id, create=False)
            view = self._view(session, cart)
            session.commit()  # a sign-in's merge, if one happened
            return view

    # -- changing --------------------------------------------------------------------------
    def add(self, conversation_id: str, variant_id: str, quantity: int = 1) -> CartView:
        """Add ``quantity`` of an in-stock variant (to its line, if one exists)."""
        quantity = _quantity(quantity)
        with _lock(self.engine), Session(self.engine) as session:
            variant = self._sellable(session, variant_id)
            product = session.get(Product, variant.product_id)
            cart = self._cart(session, conversation_id, create=True)
            assert cart is not None
            line = session.exec(
                select(CartLine).where(
                    CartLine.cart_id == cart.id, CartLine.variant_id == variant.id
                )
            ).first()
            if line is None:
                count = len(session.exec(select(CartLine).where(CartLine.cart_id == cart.id)).all())
                if count >= MAX_LINES:
                    raise InvalidInputError(
                        f"a cart holds at most {MAX_LINES} lines", code="cart_full"
                    )
                line = CartLine(
                    cart_id=cart.id,
                    product_id=variant.product_id,
                    variant_id=variant.id,
                    name=product.name if product else variant.product_id,
                    options=dict(variant.options),
                    quantity=quantity,
                    unit_price=round(variant.price, 2),
                )
            else:
                line.quantity = _quantity(line.quantity + quantity)
            session.add(line)
            return self._commit(session, cart)

    def set_quantity(self, conversation_id: str, line_id: int, quantity: int) -> CartView:
        """Set a line's quantity; 0 removes the line."""
        if quantity != 0:
            quantity = _quantity(quantity)
        with _lock(self.engine), Session(self.engine) as session:
            cart, line = self._line(session, conversation_id, line_id)
            if quantity == 0:
                session.delete(line)
            else:
                line.quantity = quantity
                session.add(line)
            return self._commit(session, cart)

    def set_variant(self, conversation_id: str, line_id: int, variant_id: str) -> CartView:
        """Swap a line to another in-stock variant of the same product, at today's price."""
        with _lock(self.engine), Session(self.engine) as session:
            cart, line = self._line(session, conversation_id, line_id)
            variant = self._sellable(session, variant_id)
            if variant.product_id != line.product_id:
                raise InvalidInputError("a line can only change to a variant of its own product")
            if variant.id == line.variant_id:
                return self._commit(session, cart)
            other = session.exec(
                select(CartLine).where(
                    CartLine.cart_id == cart.id, CartLine.variant_id == variant.id
                )
            ).first()
            if other is not None:  # that variant has a line already: one line, both counts
                other.quantity = min(MAX_QUANTITY, other.quantity + line.quantity)
                session.add(other)
                session.delete(line)
            else:
                line.variant_id = variant.id
                line.options = dict(variant.options)
                line.unit_price = round(variant.price, 2)
                session.add(line)
            return self._commit(session, cart)

    def remove(self, conversation_id: str, line_id: int) -> CartView:
        """Remove one line."""
        return self.set_quantity(conversation_id, line_id, 0)

    def clear(self, conversation_id: str) -> CartView:
        """Remove every line."""
        with _lock(self.engine), Session(self.engine) as session:
            cart = self._cart(session, conversation_id, create=False)
            if cart is None:
                return CartView()
            for line in session.exec(select(CartLine).where(CartLine.cart_id == cart.id)):
                session.delete(line)
            return self._commit(session, cart)

    # -- internals -------------------------------------------------------------------------
    @staticmethod
    def _sellable(session: Session, variant_id: str) -> Variant:
        variant = session.get(Variant, str(variant_id))
        if variant is None:
            raise NotFoundError(f"no variant with id {variant_id!r}")
        if not variant.available:
            raise UnavailableError("that variant is out of stock")
        return variant

    def _line(self, session: Session, conversation_id: str, line_id: int) -> tuple[Cart, CartLine]:
        cart = self._cart(session, conversation_id, create=False)
        line = session.get(CartLine, line_id) if cart is not None else None
        if cart is None or line is None or line.cart_id != cart.id:
            raise NotFoundError(f"the cart has no line {line_id}")
        return cart, line

    def _commit(self, session: Session, cart: Cart) -> CartView:
        cart.updated_at = utcnow()
        session.add(cart)
        session.flush()
        view = self._view(session, cart)
        session.commit()
        return view

    @staticmethod
    def _cart(session: Session, conversation_id: str, *, create: bool) -> Cart | None:
        """Return the cart this conversation uses, merging a guest cart on sign-in."""
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            if create:
                raise NotFoundError("no such conversation")
            return None
        guest = session.exec(
            select(Cart).where(Cart.conversation_id == conversation_id, col(Cart.user_id).is_(None))
        ).first()
        if not conv.user_id:
            if guest is None and create:
                guest = Cart(id=uuid4().hex, conversation_id=conversation_id)
                session.add(guest)
                session.flush()
            return guest
        own = session.exec(select(Cart).where(Cart.user_id == conv.user_id)).first()
        if guest is not None:
            if own is None:  # the guest cart becomes the customer's
                guest.user_id = conv.user_id
                session.add(guest)
                session.flush()
                return guest
            for line in session.exec(select(CartLine).where(CartLine.cart_id == guest.id)):
                same = session.exec(
                    select(CartLine).where(
                        CartLine.cart_id == own.id, CartLine.variant_id == line.variant_id
                    )
                ).first()
                if same is not None:
                    same.quantity = min(MAX_QUANTITY, same.quantity + line.quantity)
                    session.add(same)
                    session.delete(line)
                else:
                    line.cart_id = own.id
                    session.add(line)
            session.flush()
            session.delete(guest)
            session.flush()
        if own is None and create:
            own = Cart(id=uuid4().hex, conversation_id=conversation_id, user_id=conv.user_id)
            session.add(own)
            session.flush()
        return own

    @staticmethod
    def _view(session: Session, cart: Cart | None) -> CartView:
        if cart is None:
            return CartView()
        lines = session.exec(
            select(CartLine).where(CartLine.cart_id == cart.id).order_by(col(CartLine.pk))
        ).all()
        out: list[CartLineView] = []
        for line in lines:
            variant = session.get(Variant, line.variant_id)
            product = session.get(Product, line.product_id)
            ok = bool(variant is not None and variant.available)
            out.append(
                CartLineView(
                    id=int(line.pk or 0),
                    product_id=line.product_id,
                    variant_id=line.variant_id,
                    name=line.name,
                    product_type=str(product.attributes.get("type", "")) if product else "",
                    options=dict(line.options),
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    line_total=round(line.quantity * line.unit_price, 2),
                    available=ok,
                )
            )
        usable = [ln for ln in out if ln.available]
        return CartView(
            lines=out,
            total=round(sum(ln.line_total for ln in usable), 2),
            item_count=sum(ln.quantity for ln in usable),
        )
