"""What documents say about a client: the party block of contracts, leases and statements.

The client app generates no document of its own (a client's statement of account is the
money app's); the apps that do build their parties here, as plain data.
"""

from __future__ import annotations

from realestate.clients.models import Client

#: The placeholders of a party (a buyer, a tenant, an owner), under its key.
PARTY_PLACEHOLDERS = {
    "name": "full name (a person) or registered name (a company)",
    "kind": "Individual or Company",
    "id_type": "identity document: National ID, Passport or Trade licence",
    "id_number": "the identity document's number",
    "id_expiry": "the identity document's expiry date (a date)",
    "nationality": "nationality",
    "address": "postal address",
    "phone": "phone number",
    "email": "e-mail address",
}


def party(client: Client | None) -> dict:
    """A client as a party to a document."""
    if client is None:
        return dict.fromkeys(PARTY_PLACEHOLDERS, "")
    return {
        "name": client.name,
        "kind": str(client.get_kind_display()),
        "id_type": str(client.get_id_type_display()) if client.id_type else "",
        "id_number": client.id_number,
        "id_expiry": client.id_expiry,
        "nationality": client.nationality,
        "address": client.address,
        "phone": client.phone,
        "email": client.email,
    }


def party_placeholders(prefix: str, about: str) -> dict[str, str]:
    """The placeholders of a party under ``prefix`` (``buyer``, ``tenant.``...)."""
    return {f"{prefix}.{key}": f"{about}: {meaning}" for key, meaning in PARTY_PLACEHOLDERS.items()}
