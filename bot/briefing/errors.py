"""The one mistake a user can make here: naming something no framework covers."""
from __future__ import annotations


class UnknownTopic(ValueError):
    """The words matched no ambition, outcome or theme; the message lists what would work."""
