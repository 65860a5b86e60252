"""What the factories share."""

import factory

#: Where the demo and the tests put things when a place is needed.
DUBAI = (55.2708, 25.2048)


def number_sequence(prefix: str):
    """Record numbers that never clash with the services' own (``RS-T-00001``)."""
    return factory.Sequence(lambda n: f"{prefix}-T-{n:05d}")
