"""Every timer and count of the seat protocol, in one place.

``docs/seat-protocol.md`` §4.1 lists the same names and values in a table; ``tests/devices/
test_protocol_document.py`` reads that table (and the document's code tables) and fails when the
document and this module disagree.
"""

from __future__ import annotations

COMMAND_REPLY_TIMEOUT_S = 0.05
"""The console waits this long for a seat's ACK to a command before sending it again (CAN, TCP; on RS-485
the console adapts the poll reply timeout to the answers it measures, never above this)."""

COMMAND_RETRIES = 3
"""Retransmissions of an unacknowledged command before the seat is reported unreachable."""

BROADCAST_COPIES = 2
"""Times a broadcast command is sent, with the same sequence number (broadcasts are never acknowledged)."""

EVENT_RETRANSMIT_S = 0.1
"""A terminal's first and smallest retransmission timeout for an unacknowledged event (CAN, TCP); it
adapts to the round trips measured (``SRTT + 4·RTTVAR`` of events acknowledged at the first send)."""

EVENT_MAX_RETRANSMIT_S = 1.0
"""Each resend of the same event doubles the timeout up to this; then one resend per this interval, for
as long as needed (an event is never dropped by the terminal)."""

SUPERVISE_AFTER_S = 5.0
"""The console sends POLL to a seat it has not heard from for this long, on every kind of link."""

SILENT_AFTER_POLLS = 3
"""Unanswered polls in a row after which the console reports a seat silent."""
