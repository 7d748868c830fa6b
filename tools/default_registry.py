"""The one place where tools are registered for the agent."""

from __future__ import annotations

from tools.add_to_cart import add_to_cart
from tools.cancel_pending_order import cancel_pending_order
from tools.confirm_action import confirm_action
from tools.exchange_delivered_order_items import exchange_delivered_order_items
from tools.find_user_id_by_email import find_user_id_by_email
from tools.find_user_id_by_name_zip import find_user_id_by_name_zip
from tools.get_order_details import get_order_details
from tools.get_product import get_product
from tools.get_user_details import get_user_details
from tools.modify_pending_order_address import modify_pending_order_address
from tools.modify_pending_order_items import modify_pending_order_items
from tools.modify_pending_order_payment import modify_pending_order_payment
from tools.modify_user_address import modify_user_address
from tools.recommend_products import recommend_products
from tools.registry import ToolRegistry, tool
from tools.remove_from_cart import remove_from_cart
from tools.return_delivered_order_items import return_delivered_order_items
from tools.search_catalog import search_catalog
from tools.summarize_reviews import summarize_reviews
from tools.transfer_to_human_agents import transfer_to_human_agents
from tools.translate_text import translate_text
from tools.update_cart_line import update_cart_line
from tools.verify_guest_order import verify_guest_order
from tools.view_cart import view_cart
from tools.write_product_description import write_product_description


def default_registry(identity: str | None = None) -> ToolRegistry:
    """Return the registry of every tool the shopping agent may call, in prompt order.

    ``identity`` (``verified`` or ``tau2``) keeps only that mode's verification tools;
    None keeps all (the order service refuses the other mode's anyway).
    """
    verify = []
    if identity in (None, "tau2"):
        verify += [tool(find_user_id_by_email), tool(find_user_id_by_name_zip)]
    if identity in (None, "verified"):
        verify.append(tool(verify_guest_order))
    return ToolRegistry(
        [
            tool(search_catalog),
            tool(get_product),
            tool(recommend_products),
            tool(summarize_reviews),
            tool(add_to_cart),
            tool(update_cart_line),
            tool(remove_from_cart),
            tool(view_cart),
            tool(translate_text),
            tool(write_product_description),
            *verify,
            tool(get_user_details),
            tool(get_order_details),
            tool(cancel_pending_order, approval=True),
            tool(modify_pending_order_address, approval=True),
            tool(modify_pending_order_payment, approval=True),
            tool(modify_pending_order_items, approval=True),
            tool(return_delivered_order_items, approval=True),
            tool(exchange_delivered_order_items, approval=True),
            tool(modify_user_address, approval=True),
            tool(confirm_action),
            tool(transfer_to_human_agents),
        ]
    )
