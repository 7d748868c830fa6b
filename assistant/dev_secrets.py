"""Secrets a development install generates for itself when the settings leave them unset.

``SHOP_IDENTITY__CUSTOMER_TOKEN_SECRET`` is shared with the shop's backend, which signs
customer tokens with it. Left unset, one is generated once into
``<data_dir>/customer_token_secret`` (0600), so ``shopassist customer-token`` and the app
started with the same data folder agree on it and the signed-in flow works out of the
box. A real shop sets the variable to the secret its backend signs with.
"""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from catalog.signing import stored_secret

CUSTOMER_TOKEN_SECRET_FILE = "customer_token_secret"


def customer_token_secret(settings: Settings) -> tuple[str, str | None]:
    """Return the customer-token secret, and a note for the operator when it was generated.

    The note (None when the variable is set) says that the development secret in the data
    folder is in use; the caller shows it (the app logs it, the CLI prints it on stderr).
    """
    configured = settings.identity.customer_token_secret
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value(), None
    path = Path(settings.data_dir).resolve() / CUSTOMER_TOKEN_SECRET_FILE
    secret, created = stored_secret(path)
    note = (
        "SHOP_IDENTITY__CUSTOMER_TOKEN_SECRET is unset: customer tokens are signed and checked "
        f"with the development secret {'generated now into' if created else 'kept in'} {path}. "
        "For a real shop, set it to the secret your shop's backend signs with."
    )
    return secret, note
