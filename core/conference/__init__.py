"""Presidium e-conference rules: pure state machines fed by seat-terminal events and chair commands.

- :mod:`~core.conference.meeting`: members, seats, IC cards, agenda and vote settings (set-up);
- :mod:`~core.conference.events`: the events and commands, with times passed in;
- :mod:`~core.conference.sign_in`, :mod:`~core.conference.speaking`, :mod:`~core.conference.voting`;
- :mod:`~core.conference.state`: the :class:`ConferenceState` facade and its snapshots;
- :mod:`~core.conference.journal`: the hash-chained journal and crash recovery.

No database, no Qt, no device imports: the kiosk and the drivers feed these rules.
"""

from core.conference.journal import JournaledConference, JournalError, verify
from core.conference.meeting import (
    QUORUM_CONGRESS_SESSION,
    QUORUM_PRESIDIUM,
    QUORUM_STANDING_COMMITTEE,
    AgendaItem,
    ItemKind,
    MeetingSetup,
    Member,
    MicMode,
    PressRule,
    QuorumRule,
    Reveal,
    SpeakingSettings,
    VoteSettings,
    import_roster,
)
from core.conference.state import ConferenceState
from core.conference.voting import MAJORITY_PRESETS, Choice, MajorityRule

__all__ = [
    "MAJORITY_PRESETS",
    "QUORUM_CONGRESS_SESSION",
    "QUORUM_PRESIDIUM",
    "QUORUM_STANDING_COMMITTEE",
    "AgendaItem",
    "Choice",
    "ConferenceState",
    "ItemKind",
    "JournalError",
    "JournaledConference",
    "MajorityRule",
    "MeetingSetup",
    "Member",
    "MicMode",
    "PressRule",
    "QuorumRule",
    "Reveal",
    "SpeakingSettings",
    "VoteSettings",
    "import_roster",
    "verify",
]
