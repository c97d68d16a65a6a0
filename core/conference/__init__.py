"""Presidium e-conference rules: pure state machines fed by seat-terminal events and chair commands.

- :mod:`~core.conference.meeting`: members, seats, IC cards, agenda and vote settings (set-up);
- :mod:`~core.conference.events`: the events and commands, with times passed in;
- :mod:`~core.conference.sign_in`, :mod:`~core.conference.speaking`, :mod:`~core.conference.voting`;
- :mod:`~core.conference.state`: the :class:`ConferenceState` facade and its snapshots;
- :mod:`~core.conference.journal`: the hash-chained journal and crash recovery;
- :mod:`~core.conference.preparation`: the operator's editable meeting draft (members, seats, cards, agenda);
- :mod:`~core.conference.records`, :mod:`~core.conference.recorder`: the synced records of meetings,
  attendance, speeches and results, and how the journaled state becomes them;
- :mod:`~core.conference.report`: the PDF result sheet.

No Qt and no device imports: the kiosk and the drivers feed these rules. The rules themselves touch no
database; only the records and the recorder's writer use SQLAlchemy.
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
