"""Finding a person as the clerk types: by name, full pinyin or initials (“zjg” finds 张建国).

:class:`SearchIndex` precomputes, once per person, the name, its pinyin without tones (``zhangjianguo``)
and its initials (``zjg``) — with every reading of a character that has several (单 → dan / shan), so a
surname read differently is still found. A query is matched as a prefix of the initials or of the pinyin,
or as a part of the name; names come first, then initials, then pinyin, each in name order. The index
answers from memory, so 20,000 people are searched in a few milliseconds on every key press; it is rebuilt
(or :meth:`SearchIndex.update`-d) when people are added or renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from pypinyin import Style, pinyin
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cadre.models import CadPerson

MAX_READINGS = 8
"""At most this many combinations of readings per name (a name of polyphonic characters stays small)."""


@dataclass(frozen=True)
class Entry:
    person_id: str
    name: str
    spellings: tuple[str, ...]
    initials: tuple[str, ...]


def _spell_other(chars: str) -> str:
    """Letters and digits in a name are kept as they are (lower case)."""
    return chars.lower()


def keys(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The full pinyin spellings and the initials of a name (lower case, no tones, ü written v)."""
    readings = pinyin(name, style=Style.NORMAL, heteronym=True, errors=_spell_other)
    options = [[r.replace("ü", "v").lower() for r in dict.fromkeys(choices) if r] or [""] for choices in readings]
    spellings: list[str] = []
    initials: list[str] = []
    for combo in product(*options):
        if len(spellings) >= MAX_READINGS:
            break
        spelled = "".join(combo)
        if spelled not in spellings:
            spellings.append(spelled)
        first = "".join(part[:1] for part in combo)
        if first not in initials:
            initials.append(first)
    return tuple(spellings), tuple(initials)


class SearchIndex:
    """The people of a database, with their precomputed pinyin and initials."""

    def __init__(self, people: list[tuple[str, str]]) -> None:
        self._entries: dict[str, Entry] = {}
        for person_id, name in people:
            self.update(person_id, name)

    @classmethod
    def load(cls, session: Session) -> SearchIndex:
        rows = session.execute(select(CadPerson.id, CadPerson.name).where(CadPerson.deleted.is_(False))).all()
        return cls([(r[0], r[1]) for r in rows])

    def entries(self) -> list[Entry]:
        return list(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def update(self, person_id: str, name: str | None) -> None:
        """Add or rename a person; ``None`` removes them."""
        if name is None:
            self._entries.pop(person_id, None)
            return
        spellings, initials = keys(name)
        self._entries[person_id] = Entry(person_id, name, spellings, initials)

    def search(self, query: str, limit: int = 50) -> list[Entry]:
        """The people the query finds, best first (name, then initials, then pinyin)."""
        text = query.strip()
        if not text:
            return []
        lower = text.lower().replace("ü", "v").replace(" ", "")
        ranked: list[tuple[int, str, Entry]] = []
        for entry in self._entries.values():
            if text in entry.name:
                rank = 0
            elif any(i.startswith(lower) for i in entry.initials):
                rank = 1
            elif any(s.startswith(lower) for s in entry.spellings):
                rank = 2
            else:
                continue
            ranked.append((rank, entry.name, entry))
        ranked.sort(key=lambda r: (r[0], r[1], r[2].person_id))
        return [r[2] for r in ranked[:limit]]
