"""A pull from one bureau: list, download, check, keep as received, import all-or-nothing, then move the cursor.

1. Ask the adapter for the files after the stored cursor.
2. Download each into a temporary folder; its size and SHA-256 must match the list.
3. Keep each verified file as received (``received/<bureau>/<cursor>-<name>``), for the record.
4. Import the files in list order in ONE transaction (:func:`core.budget.links.atomic.all_or_nothing`):
   a file with bad rows, a cancel or any error rolls back every file of this pull.
5. Only after the commit is the cursor moved (to the last file's cursor) and saved.

A crash between 4 and 5 makes the next pull fetch the same files again; importing a file twice changes
nothing, so that is safe. When the list says ``more``, the next page is pulled the same way.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from core.budget.importers import SPECS, ImportResult, import_file
from core.budget.links.adapters import BureauAdapter, Limits, adapter_for
from core.budget.links.atomic import Hooks, all_or_nothing
from core.budget.links.errors import LinkCancelled, LinkError
from core.budget.links.protocol import ManifestEntry, ManifestError
from core.budget.links.settings import LinkStore
from core.sync.stamping import install_server_hooks

Progress = Callable[[int, int, str], None]
MAX_PAGES = 100
log = logging.getLogger(__name__)


@dataclass
class FileOutcome:
    entry: ManifestEntry
    status: str
    """``imported`` | ``recorded`` (kept, kind not importable yet) | ``failed``."""
    result: ImportResult | None = None


@dataclass
class PullResult:
    bureau: str
    title: str
    ok: bool = True
    message: str = ""
    files: list[FileOutcome] = field(default_factory=list)
    cursor_before: str = ""
    cursor_after: str = ""
    reason: str = ""

    @property
    def inserted(self) -> int:
        return sum(f.result.inserted for f in self.files if f.result and f.status == "imported")

    @property
    def updated(self) -> int:
        return sum(f.result.updated for f in self.files if f.result and f.status == "imported")

    @property
    def unchanged(self) -> int:
        return sum(f.result.unchanged for f in self.files if f.result and f.status == "imported")

    def report(self) -> str:
        """The whole outcome as plain Chinese text (the row-by-row report of a bad file included)."""
        lines = [self.message]
        for outcome in self.files:
            if outcome.status == "failed" and outcome.result is not None:
                lines.append(outcome.result.report())
        return "\n".join(line for line in lines if line)


class _Failed(Exception):
    def __init__(self, outcome: FileOutcome) -> None:
        super().__init__(outcome.entry.name)
        self.outcome = outcome


def pull(bureau: str, store: LinkStore, engine: Engine, *, hooks: Hooks = install_server_hooks,
         actor: str = "link", limits: Limits | None = None, progress: Progress | None = None,
         cancel: threading.Event | None = None, adapter: BureauAdapter | None = None) -> PullResult:
    """Pull everything new from ``bureau``; never raises for a link problem (the result says what happened)."""
    settings = store.get(bureau)
    adapter = adapter or adapter_for(settings, limits)
    result = PullResult(bureau, adapter.title, cursor_before=settings.cursor, cursor_after=settings.cursor)
    try:
        for _page in range(MAX_PAGES):
            more = _pull_page(adapter, store, engine, hooks, actor, result, progress, cancel)
            if not more:
                break
    except _Failed as failed:
        result.ok, result.reason = False, "rows"
        result.message = (f"{adapter.title}：文件“{failed.outcome.entry.name}”有问题，本次拉取的文件都没有导入，"
                          "接收位置没有前移。请把下面的问题转告对方单位，待其重新提供后再拉取。")
    except LinkError as exc:
        result.ok, result.reason, result.message = False, exc.reason, f"{adapter.title}：{exc.message}"
    except (OSError, SQLAlchemyError) as exc:
        log.exception("pull from %s failed", bureau)
        result.ok, result.reason = False, "local"
        result.message = (f"{adapter.title}：本机保存或写入数据时出错（{exc.__class__.__name__}），没有导入任何数据，"
                          "接收位置没有前移。请检查磁盘空间和数据库是否被占用，稍后再试；如持续出现请联系系统管理员。")
    if result.ok:
        imported = [f for f in result.files if f.status == "imported"]
        if not result.files:
            result.message = f"{adapter.title}：没有新的文件。"
        else:
            result.message = (f"{adapter.title}：收到 {len(result.files)} 个文件，导入 {len(imported)} 个；"
                              f"新增 {result.inserted} 行，更新 {result.updated} 行，{result.unchanged} 行与已有的相同。")
            recorded = [f.entry.name for f in result.files if f.status == "recorded"]
            if recorded:
                result.message += "以下文件本系统暂不能导入，已原样保存备查：" + "、".join(recorded) + "。"
    store.record(bureau, result.ok, result.message, result.cursor_after if result.ok else None)
    return result


_IMPORT_RANK = {kind: rank for rank, kind in enumerate(SPECS)}
"""The specs are listed in an order where every file's references come earlier."""


def _pull_page(adapter: BureauAdapter, store: LinkStore, engine: Engine, hooks: Hooks, actor: str,
               result: PullResult, progress: Progress | None, cancel: threading.Event | None) -> bool:
    manifest = adapter.list_files(result.cursor_after)
    entries = list(manifest.files)
    for entry in entries:
        if entry.kind not in adapter.kinds:
            raise ManifestError(f"文件“{entry.name}”的类别“{entry.kind}”不是{adapter.title}报送的数据")
    if not entries:
        return False
    received = store.received_dir(adapter.settings.bureau)
    work = Path(tempfile.mkdtemp(prefix="renda-pull-"))
    try:
        paths: list[Path] = []
        for number, entry in enumerate(entries, 1):
            if cancel is not None and cancel.is_set():
                raise LinkCancelled("已取消拉取，没有导入任何数据，接收位置没有前移。")
            if progress is not None:
                progress(number - 1, len(entries), f"下载 {entry.name}")
            target = work / entry.name
            adapter.fetch(entry, target, cancel)
            kept = received / f"{entry.cursor}-{entry.name}"
            if not kept.exists():
                shutil.copyfile(target, kept)
            paths.append(target)
        outcomes: list[FileOutcome] = []
        try:
            with all_or_nothing(engine, hooks) as factory:
                # an indicator before its changes, a plan before its applications, whatever the bureau's listing
                pairs = sorted(zip(entries, paths, strict=True), key=lambda p: _IMPORT_RANK.get(p[0].kind, len(SPECS)))
                for number, (entry, path) in enumerate(pairs, 1):
                    if entry.kind not in SPECS:
                        outcomes.append(FileOutcome(entry, "recorded"))
                        continue

                    def step(done: int, total: int, phase: str, name: str = entry.name, n: int = number) -> None:
                        if progress is not None:
                            progress(done, total, f"{phase} {name}（{n}/{len(entries)}）")

                    imported = import_file(factory, entry.kind, path, actor=actor, progress=step, cancel=cancel,
                                           source=f"{adapter.title}接口")
                    if imported.cancelled:
                        raise LinkCancelled("已取消导入，本次拉取的文件都没有导入，接收位置没有前移。")
                    outcome = FileOutcome(entry, "imported" if imported.ok else "failed", imported)
                    outcomes.append(outcome)
                    if not imported.ok:
                        raise _Failed(outcome)
        except _Failed:
            result.files.extend(outcomes)
            raise
        result.files.extend(outcomes)
        result.cursor_after = entries[-1].cursor
        store.update(adapter.settings.bureau, cursor=result.cursor_after)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest.more


def kind_title(kind: str) -> str:
    """The plain name of a kind of file (“支付明细”)."""
    return SPECS[kind].title if kind in SPECS else kind
