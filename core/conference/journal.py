"""The conference journal: every event and command, hash-chained, fsynced, replayable.

Each line of the journal file is one JSON entry ``{"seq", "kind", "body", "prev", "hash"}`` where
``hash = SHA-256(prev + canonical JSON of {"seq", "kind", "body"})`` and ``prev`` is the hash of the
entry before (64 zeros for the first).  Entry kinds:

- ``setup``: the meeting set-up (always entry 0);
- ``msg``: an event or command, exactly as applied;
- ``sealed``: a key press of an ANONYMOUS vote, encrypted (XSalsa20-Poly1305, fixed-size padded
  plaintext) under a random per-vote key.  The key lives in a file next to the journal only while the
  vote is open and is overwritten and deleted when the vote ends;
- ``anon_close``: written when an anonymous vote ends with a result: the per-choice counts and the set
  of seats that voted — the only data a replay needs once the key is gone.

So the journal never holds a readable seat→choice link for an anonymous vote, yet a console that
crashes mid-vote still has the key on disk and its replay rebuilds the exact state.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.secret
import nacl.utils

from core.conference.events import DeviceEvent, Message, Outcome, VoteCast, from_dict, to_dict
from core.conference.meeting import MeetingSetup
from core.conference.state import ConferenceState

GENESIS = "0" * 64
SEALED_PLAINTEXT_SIZE = 256


class JournalError(Exception):
    """The journal cannot be used (broken chain, missing set-up, file exists)."""


def canonical(obj: Any) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(prev: str, seq: int, kind: str, body: Any) -> str:
    """The chained hash of one entry."""
    return hashlib.sha256(prev.encode("ascii") + canonical({"seq": seq, "kind": kind, "body": body})).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One journal entry."""

    seq: int
    kind: str
    body: Any
    prev: str
    hash: str


@dataclass(frozen=True)
class VerifyReport:
    """Result of :func:`verify`: ``first_bad`` is the line number (0-based) of the first broken entry."""

    ok: bool
    entries: int
    first_bad: int | None = None
    reason: str = ""
    torn_tail: bool = False
    """The last line was cut short by a crash during the write (never acknowledged; ignored)."""


def _read_lines(path: Path) -> tuple[list[bytes], bool]:
    data = path.read_bytes() if path.exists() else b""
    lines = data.split(b"\n")
    torn = lines[-1] != b""
    return lines[:-1], torn


def verify(path: Path) -> VerifyReport:
    """Check the whole chain and report the first broken entry."""
    lines, torn = _read_lines(path)
    prev = GENESIS
    for n, line in enumerate(lines):
        try:
            raw = json.loads(line)
            seq, kind, body, p, h = raw["seq"], raw["kind"], raw["body"], raw["prev"], raw["hash"]
        except (ValueError, KeyError, TypeError):
            return VerifyReport(False, n, n, f"第 {n} 条记录无法解析", torn)
        if seq != n:
            return VerifyReport(False, n, n, f"第 {n} 条记录序号为 {seq}", torn)
        if p != prev:
            return VerifyReport(False, n, n, f"第 {n} 条记录与上一条的哈希不衔接", torn)
        if entry_hash(prev, seq, kind, body) != h:
            return VerifyReport(False, n, n, f"第 {n} 条记录内容与哈希不符（被改动）", torn)
        prev = h
    return VerifyReport(True, len(lines), None, "", torn)


def read_entries(path: Path) -> list[Entry]:
    """All entries of a journal whose chain is intact; raises :class:`JournalError` otherwise."""
    report = verify(path)
    if not report.ok:
        raise JournalError(f"会议日志校验失败：{report.reason}")
    lines, _ = _read_lines(path)
    entries = []
    for line in lines:
        raw = json.loads(line)
        entries.append(Entry(raw["seq"], raw["kind"], raw["body"], raw["prev"], raw["hash"]))
    return entries


class Journal:
    """Append-only, hash-chained journal file; every append is flushed and fsynced."""

    def __init__(self, path: Path) -> None:
        self.path = path
        lines, torn = _read_lines(path)
        if torn:
            with path.open("r+b") as f:
                f.truncate(sum(len(line) + 1 for line in lines))
                f.flush()
                os.fsync(f.fileno())
        entries = read_entries(path)
        self.seq = len(entries)
        self.last_hash = entries[-1].hash if entries else GENESIS

    def append(self, kind: str, body: Any) -> Entry:
        """Write one entry durably and return it."""
        h = entry_hash(self.last_hash, self.seq, kind, body)
        entry = Entry(self.seq, kind, body, self.last_hash, h)
        line = canonical({"seq": entry.seq, "kind": kind, "body": body, "prev": entry.prev, "hash": h}) + b"\n"
        with self.path.open("ab") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        self.seq += 1
        self.last_hash = h
        return entry


class VoteKeys:
    """Per-vote keys for sealed anonymous ballots, one file each, destroyed when the vote ends."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, vote: int) -> Path:
        return self.directory / f"vote-{vote}.key"

    def create(self, vote: int) -> bytes:
        """A fresh key for ``vote``, durably on disk (or the existing one)."""
        existing = self.load(vote)
        if existing is not None:
            return existing
        self.directory.mkdir(parents=True, exist_ok=True)
        key = nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)
        tmp = self._path(vote).with_suffix(".tmp")
        with tmp.open("wb") as f:
            f.write(key)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(self._path(vote))
        return key

    def load(self, vote: int) -> bytes | None:
        """The key of ``vote`` if it still exists."""
        path = self._path(vote)
        if not path.exists():
            return None
        key = path.read_bytes()
        return key if len(key) == nacl.secret.SecretBox.KEY_SIZE else None

    def destroy(self, vote: int) -> None:
        """Overwrite and delete the key of ``vote``."""
        path = self._path(vote)
        if path.exists():
            with path.open("r+b") as f:
                f.write(b"\0" * nacl.secret.SecretBox.KEY_SIZE)
                f.flush()
                os.fsync(f.fileno())
            path.unlink()

    def existing(self) -> list[int]:
        """Votes whose keys are on disk."""
        if not self.directory.exists():
            return []
        return sorted(int(p.stem.split("-")[1]) for p in self.directory.glob("vote-*.key"))


def seal(key: bytes, cast: VoteCast) -> str:
    """Encrypt a key press to a fixed-size box (the length reveals nothing)."""
    plain = canonical(to_dict(cast))
    if len(plain) >= SEALED_PLAINTEXT_SIZE:
        raise ValueError("sealed ballot too large")
    padded = plain + b" " * (SEALED_PLAINTEXT_SIZE - len(plain))
    return base64.b64encode(bytes(nacl.secret.SecretBox(key).encrypt(padded))).decode("ascii")


def unseal(key: bytes, box: str) -> VoteCast:
    """Inverse of :func:`seal`."""
    plain = nacl.secret.SecretBox(key).decrypt(base64.b64decode(box))
    message = from_dict(json.loads(plain.rstrip(b" ")))
    assert isinstance(message, VoteCast)
    return message


class JournaledConference:
    """A :class:`ConferenceState` whose every input is journaled before it is applied.

    Use :meth:`create` for a new meeting and :meth:`open` to resume one (after a crash or restart).
    """

    def __init__(self, path: Path, state: ConferenceState, journal: Journal) -> None:
        self.path = path
        self.state = state
        self.journal = journal
        self.keys = VoteKeys(path.parent / (path.name + ".keys"))
        self._vote_keys: dict[int, bytes] = {}
        self._anon_closed: set[int] = set()
        self._pending_close: list[tuple[int, list[dict[str, Any]]]] = []
        self.wire_seqs: dict[int, int] = {}
        """Per seat, the frame sequence number of its last journaled event: after a restart a terminal's
        retransmission of that frame is acknowledged again, not counted twice."""

    @classmethod
    def create(cls, path: Path, setup: MeetingSetup) -> JournaledConference:
        """Start the journal of a new meeting."""
        if path.exists() and path.stat().st_size > 0:
            raise JournalError(f"会议日志已存在：{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        journal = Journal(path)
        journal.append("setup", setup.to_dict())
        return cls(path, ConferenceState(setup), journal)

    @classmethod
    def open(cls, path: Path) -> JournaledConference:
        """Resume a meeting: verify the chain and replay every entry."""
        journal = Journal(path)
        entries = read_entries(path)
        if not entries or entries[0].kind != "setup":
            raise JournalError("会议日志缺少会议设置")
        conference = cls(path, ConferenceState(MeetingSetup.from_dict(entries[0].body)), journal)
        conference._replay(entries[1:])
        return conference

    def _replay(self, entries: list[Entry]) -> None:
        for e in entries:
            if e.kind == "anon_close":
                self._anon_closed.add(int(e.body["vote"]))
                self.state.voting.restored[int(e.body["vote"])] = e.body["tally"]
        for e in entries:
            if e.kind == "msg":
                self._step(from_dict(e.body), write=False)
            elif e.kind == "sealed":
                key = self._vote_keys.get(int(e.body["vote"]))
                if key is not None:
                    self._step(unseal(key, e.body["box"]), write=False)
        for vote, tally in self._pending_close:
            self.journal.append("anon_close", {"vote": vote, "tally": tally})
            self._anon_closed.add(vote)
        self._pending_close.clear()
        current = self.state.anonymous_vote_open()
        for vote in self.keys.existing():
            if vote != current:
                self.keys.destroy(vote)
        if current is not None and current not in self._vote_keys:
            self._vote_keys[current] = self.keys.create(current)

    def apply(self, message: Message) -> Outcome:
        """Journal ``message`` durably, then apply it."""
        return self._step(message, write=True)

    def _step(self, message: Message, write: bool) -> Outcome:
        if isinstance(message, DeviceEvent) and message.wire_seq >= 0:
            self.wire_seqs[message.seat] = message.wire_seq
        vote = self.state.anonymous_vote_open()
        if write:
            if isinstance(message, VoteCast) and vote is not None:
                self.journal.append("sealed", {"vote": vote, "box": seal(self._vote_keys[vote], message)})
            else:
                self.journal.append("msg", to_dict(message))
        tally = None
        if vote is not None and not isinstance(message, VoteCast):
            tally = self.state.voting.anonymous_tally()
        outcome = self.state.apply(message)
        after = self.state.anonymous_vote_open()
        if vote is not None and after != vote:
            self._vote_ended(vote, tally or [], write)
        if after is not None and after != vote:
            key = self.keys.create(after) if write else self.keys.load(after)
            if key is not None:
                self._vote_keys[after] = key
        return outcome

    def _vote_ended(self, vote: int, tally: list[dict[str, Any]], write: bool) -> None:
        has_result = any(r.number == vote for r in self.state.voting.records)
        if has_result and vote not in self._anon_closed:
            if write:
                self.journal.append("anon_close", {"vote": vote, "tally": tally})
                self._anon_closed.add(vote)
            else:
                self._pending_close.append((vote, tally))
        self._vote_keys.pop(vote, None)
        if write:
            self.keys.destroy(vote)

    def verify(self) -> VerifyReport:
        """Verify this meeting's journal file."""
        return verify(self.path)

    def snapshot(self) -> dict[str, Any]:
        """The state's snapshot, with the journal head for the result sheet."""
        snap = self.state.snapshot()
        snap["journal"] = {"entries": self.journal.seq, "head": self.journal.last_hash}
        return snap
