"""What the dispatcher needs of an SMS gateway, and the errors a gateway raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class GatewayError(Exception):
    """Sending did not happen."""


class GatewayUnavailable(GatewayError):
    """The gateway could not be reached or asked us to come back later: the message is retried."""


class GatewayRejected(GatewayError):
    """The gateway refused the message (bad number, bad credentials …): retrying would not help."""


@dataclass(frozen=True)
class SendResult:
    gateway_id: str
    """The gateway's reference of the message ('' when it gives none)."""
    detail: str = ""


class Gateway(Protocol):
    """Sends one rendered text to one number. ``report_url`` is where the gateway should post delivery
    reports for this attempt ('' when the server has no public address for them)."""

    def send(self, *, to: str, text: str, message_id: str, report_url: str) -> SendResult: ...
