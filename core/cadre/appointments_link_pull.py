"""A pull from the personnel appointments system: list, download and check every file, then import file by file.

1. Ask the adapter for the files after the stored cursor (following ``more`` for at most :data:`MAX_PAGES`).
2. Download every listed file and check its size and SHA-256. Any failure here (network, time-out, a file too
   large, a wrong checksum, a malformed list) imports nothing and leaves the cursor where it was.
3. Import the files in list order with the all-or-nothing importer (:func:`core.cadre.appointments.import_retiring`),
   each in its own transaction **together with the cursor**: the cursor moves to a file's cursor in the same
   commit as its people, so it never runs ahead of what was imported.
4. A file the importer refuses is rolled back and stops the pull with :class:`FileRefused` (its rows and
   columns); the files before it stay imported, the cursor stays right after the last of them, and the next
   pull starts again at the refused file.

The state of the link (address, adapter, cursor, last pull and its result) is this database's: one row of
``client_state`` under :data:`STATE_KEY` (not synced — each database that pulls keeps its own cursor, and
importing the same file twice changes nothing). The token is never stored. No Qt.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from core.cadre.appointments import RetiringImport, import_retiring
from core.cadre.appointments_link import (
    AppointmentsAdapter,
    AppointmentsLinkError,
    FileRefused,
    ManifestEntry,
    ManifestRefused,
)
from core.models.syncstate import ClientState

STATE_KEY = "cadre.appointments_link"
MAX_PAGES = 50

Progress = Callable[[str, int, int | None], None]
"""``progress(stage, done, total)``: the stage in Chinese (``正在下载`` / ``正在导入``), files done and the number
of files (the same signature as ``core.sync.client.Progress``, so a desk's task can pass its own)."""


@dataclass(frozen=True)
class LinkState:
    """Where the link stands in this database."""

    adapter: str = ""
    url: str = ""
    cursor: str = ""
    last_pull: str = ""
    last_ok: bool | None = None
    last_message: str = ""
    files_imported: int = 0

    @classmethod
    def from_value(cls, value: Any) -> LinkState:
        if not isinstance(value, dict):
            return cls()
        known = {k: value[k] for k in cls.__dataclass_fields__ if k in value}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def as_value(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def load_state(session: Session) -> LinkState:
    row = session.get(ClientState, STATE_KEY)
    return LinkState.from_value(row.value if row is not None else None)


def _save_state(session: Session, state: LinkState) -> None:
    row = session.get(ClientState, STATE_KEY)
    if row is None:
        session.add(ClientState(key=STATE_KEY, value=state.as_value()))
    else:
        row.value = state.as_value()


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).isoformat(timespec="seconds")


@dataclass
class FileOutcome:
    entry: ManifestEntry
    result: RetiringImport


@dataclass
class PullResult:
    """What a successful pull did."""

    cursor_before: str
    cursor_after: str
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def inserted(self) -> int:
        return sum(f.result.inserted for f in self.files)

    @property
    def updated(self) -> int:
        return sum(f.result.updated for f in self.files)

    @property
    def unchanged(self) -> int:
        return sum(f.result.unchanged for f in self.files)

    def summary(self) -> str:
        if not self.files:
            return "人事任免系统没有新的文件，没有变化。"
        lines = [f"已从人事任免系统导入 {len(self.files)} 个文件：新增 {self.inserted} 人，更新 {self.updated} 人，"
                 f"{self.unchanged} 人与已导入的内容相同未作改动。接收位置：{self.cursor_after}。"]
        lines += [f"  {f.entry.name}（{f.entry.cursor}）：{f.result.rows} 人，新增 {f.result.inserted}，"
                  f"更新 {f.result.updated}，未变 {f.result.unchanged}" for f in self.files]
        return "\n".join(lines)


def _list_all(adapter: AppointmentsAdapter, since: str) -> list[ManifestEntry]:
    entries: list[ManifestEntry] = []
    seen: set[str] = {since} if since else set()
    cursor = since
    for _ in range(MAX_PAGES):
        manifest = adapter.list_files(cursor)
        for entry in manifest.files:
            if entry.cursor in seen:
                raise ManifestRefused(f"文件“{entry.name}”的“cursor”{entry.cursor} 与已列出的重复（清单没有前进）")
            seen.add(entry.cursor)
        entries.extend(manifest.files)
        if not manifest.more:
            return entries
        cursor = manifest.files[-1].cursor
    raise ManifestRefused(f"连续 {MAX_PAGES} 页清单都标着“more”，清单没有结束")


def _refusal(entry: ManifestEntry, result: RetiringImport, done: list[FileOutcome], cursor: str) -> FileRefused:
    problems = [str(p) for p in result.problems]
    before = (f"此前的 {len(done)} 个文件已经导入，接收位置停在“{cursor}”。" if done
              else "本次没有导入任何人员，接收位置没有前移。")
    text = (f"人事任免系统的文件“{entry.name}”（cursor {entry.cursor}）有 {len(problems)} 处问题，这个文件和它之后的文件"
            f"都没有导入。{before}请把下列问题转告人事部门，改正后由人事任免系统重新提供这个文件，再拉取一次：\n"
            + "\n".join(f"  {p}" for p in problems))
    return FileRefused(text, entry.name, problems)


def pull(factory: sessionmaker[Session], adapter: AppointmentsAdapter, *, today: date, from_start: bool = False,
         cancel: threading.Event | None = None, now: datetime | None = None,
         progress: Progress | None = None) -> PullResult:
    """Pull what the appointments system offers after this database's cursor; see the module's steps.

    ``cancel`` stops the pull between files (and a download under way); ``progress`` is told of each file
    downloaded and imported.

    Raises :class:`AppointmentsLinkError` (or a subclass) with the clerk's message; the state row then records
    the failure, and neither people nor the cursor have changed beyond the files imported before a refused one.
    """
    url = adapter.config.url.strip()
    with factory() as s:
        state = load_state(s)
    if state.url and state.url != url and state.cursor and not from_start:
        raise AppointmentsLinkError(
            f"接口地址与上次拉取时不同（上次：{state.url}），接收位置“{state.cursor}”属于原来的系统。"
            "如果人事任免系统确已更换地址，请加 --from-start 从头拉取（已导入的人员再次导入不会重复）。", "settings")
    since = "" if from_start else state.cursor
    result = PullResult(since, since)
    try:
        entries = _list_all(adapter, since)
        files: list[tuple[ManifestEntry, bytes]] = []
        for entry in entries:
            if progress is not None:
                progress("正在下载", len(files), len(entries))
            files.append((entry, adapter.fetch(entry, cancel)))
        with tempfile.TemporaryDirectory(prefix="renda-appointments-") as folder:
            for number, (entry, data) in enumerate(files):
                if progress is not None:
                    progress("正在导入", number, len(files))
                if cancel is not None and cancel.is_set():
                    raise AppointmentsLinkError("已取消；此前的文件已经导入，接收位置停在最后导入的文件之后。", "cancelled")
                path = Path(folder) / f"{number:04d}" / entry.name
                path.parent.mkdir()
                path.write_bytes(data)
                with factory() as s:
                    current = load_state(s)
                    if current.cursor != result.cursor_after and not (from_start and not result.files):
                        raise AppointmentsLinkError("另一次拉取同时在进行，本次已停止。请稍后查看“renda cadre link status”。",
                                                    "busy")
                    imported = import_retiring(s, path, today)
                    if not imported.ok:
                        s.rollback()
                        raise _refusal(entry, imported, result.files, result.cursor_after)
                    _save_state(s, LinkState(adapter.name, url, entry.cursor, _stamp(now), True,
                                             f"正在拉取：已导入“{entry.name}”", current.files_imported + 1))
                    s.commit()
                result.files.append(FileOutcome(entry, imported))
                result.cursor_after = entry.cursor
    except AppointmentsLinkError as exc:
        _record(factory, adapter, url, result, False, str(exc), now)
        raise
    _record(factory, adapter, url, result, True, result.summary().splitlines()[0], now)
    return result


def _record(factory: sessionmaker[Session], adapter: AppointmentsAdapter, url: str, result: PullResult, ok: bool,
            message: str, now: datetime | None) -> None:
    """The outcome of a pull in the state row (the cursor is the one the last imported file committed)."""
    with factory() as s:
        current = load_state(s)
        if ok or result.files:
            cursor, address = result.cursor_after, url
        else:
            cursor, address = current.cursor, current.url or url
        _save_state(s, LinkState(adapter.name, address, cursor, _stamp(now), ok, message[:2000],
                                 current.files_imported))
        s.commit()


def status_text(state: LinkState) -> str:
    """The link's state in words, for ``renda cadre link status``."""
    if not state.last_pull:
        return "还没有从人事任免系统拉取过。用 renda cadre link pull --url https://… 开始第一次拉取。"
    result = "成功" if state.last_ok else "失败"
    return "\n".join([
        f"接口地址：{state.url}（接口类型 {state.adapter}）",
        f"接收位置（cursor）：{state.cursor or '（从头开始）'}",
        f"上次拉取：{state.last_pull}，结果：{result}",
        f"累计导入文件：{state.files_imported} 个",
        f"说明：{state.last_message}",
    ])
