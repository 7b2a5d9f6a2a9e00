"""What a channel's sender does, and how it says that a send failed."""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

from machi.notices.models import Message


class SendFailed(Exception):
    """The other side did not take the message. ``permanent``: trying again will not help
    (no such address, unsubscribed endpoint); otherwise it may work later."""

    permanent = False


class TemporaryFailure(SendFailed):
    pass


class PermanentFailure(SendFailed):
    permanent = True


class TechnicalFailure(SendFailed):
    """Our side cannot send: the channel is not set up (a municipality without an active
    LINE channel) or its credentials are refused. A technical-failure at once; staff fix
    the setting and send the message again from the delivery page."""


class EndpointGone(PermanentFailure):
    """The address is gone for good (a push endpoint or webhook answering 404 or 410, a
    LINE user who blocked the account): its subscription is ended, nothing more goes there."""


class Sender(Protocol):
    """Sends a batch of one channel's messages; opened once per batch."""

    def __enter__(self) -> Sender: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, message: Message) -> None:
        """Send one message or raise :class:`SendFailed`."""


class BatchSender(Sender, Protocol):
    """A sender that sends several messages in one call (LINE's multicast)."""

    def send_many(self, messages: list[Message]) -> list[SendFailed | None]:
        """Send the messages; what became of each, in their order (``None``: delivered)."""


# Top-level names reserved never to resolve (RFC 2606, RFC 6761).
_NEVER_RESOLVED = ("invalid", "example", "test")


def check_reachable(url: str) -> None:
    """An address in a reserved domain can never be reached: fail it at once rather than
    wait on a DNS lookup per message (the demo's invented subscribers live there)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host.rpartition(".")[2] in _NEVER_RESOLVED:
        raise PermanentFailure(f"{host} is in a domain that never resolves (RFC 6761)")
