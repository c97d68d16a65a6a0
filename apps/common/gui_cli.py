"""Desktop sub-commands of ``renda``: ``launcher`` (the default), ``demo`` and ``screenshots``."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from apps.cli_zh import examples

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    launcher = subparsers.add_parser("launcher", help="打开工作台（默认命令）",
                                     description="登录后打开工作台；保存的登录仍有效时直接进入",
                                     epilog=examples(("renda launcher", "用上次的服务器地址（没有时登录窗口里填写）"),
                                                     "renda launcher --server https://renda.example.gov.cn:8443"))
    launcher.add_argument("--server", help="服务器地址，例如 https://renda.example.gov.cn")
    launcher.set_defaults(func=run_launcher)

    demo = subparsers.add_parser("demo", help="用内置演示服务器体验整套软件",
                                 description="启动带演示用户和演示数据的内置服务器并打开登录窗口；"
                                             "没有显示器时改为生成全部界面截图",
                                 epilog=examples(("renda demo", "演示用户（staff、committee、admin……）的密码都是 Renda@2026demo"),
                                                 ("renda demo --out 截图 --only login --only launcher",
                                                  "没有显示器时：只生成登录和工作台两组截图，存到“截图”文件夹")))
    demo.add_argument("--out", help="没有显示器时截图保存的文件夹（默认 ./screenshots）")
    demo.add_argument("--only", action="append", default=[],
                      help="没有显示器时只生成指定的一组截图（如 login、launcher），可重复")
    demo.set_defaults(func=run_demo)

    shots = subparsers.add_parser("screenshots", help="把所有窗口渲染成 PNG 截图",
                                  description="在后台启动演示服务器，逐个渲染窗口并保存为 PNG",
                                  epilog=examples(("renda screenshots 截图", "全部窗口"),
                                                  ("renda screenshots 截图 --only budget-warnings --only kiosk",
                                                   "只生成预警和会场两组"),
                                                  ("renda screenshots 截图 --check-glyphs",
                                                   "先检查中文能否正常显示（不是方框），不能时报错退出"),
                                                  note="截图组：" + "、".join(screenshot_groups())))
    shots.add_argument("outdir", help="保存截图的文件夹")
    shots.add_argument("--only", action="append", default=[], help="只生成指定的一组截图，可重复")
    shots.add_argument("--check-glyphs", action="store_true",
                       help="先检查界面字体能画出中文字形（而不是缺字方框）；不能时退出码为 1")
    shots.set_defaults(func=run_screenshots)


def screenshot_groups() -> list[str]:
    """The names ``--only`` accepts, read from the screenshot modules' ``@screenshot("…")`` lines without
    importing Qt (the help must print on a server without it); empty where the sources are not shipped."""
    import re

    apps_dir = Path(__file__).resolve().parents[1]
    names: set[str] = set()
    for path in [*apps_dir.rglob("screenshots.py"), *apps_dir.rglob("*_shots.py")]:
        try:
            names.update(re.findall(r'^@screenshot\("([^"]+)"\)', path.read_text(encoding="utf-8"), re.MULTILINE))
        except OSError:
            continue
    return sorted(names)


def _logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _finish(app: Any) -> None:
    from apps.common.qt import QThreadPool

    QThreadPool.globalInstance().waitForDone(60_000)


# --------------------------------------------------------------------------- launcher
def run_launcher(args: argparse.Namespace) -> int:
    from apps.common.application import application, has_display
    from apps.common.settings import ClientSettings
    from apps.launcher.flow import DesktopFlow

    _logging()
    if not has_display():
        print("没有可用的显示器，无法打开窗口。可以用 renda screenshots 查看界面，或在桌面环境中运行。",
              file=sys.stderr)
        return 1
    settings = ClientSettings()
    app = application(settings)
    flow = DesktopFlow(settings, server_url=getattr(args, "server", None))
    flow.finished.connect(app.quit)
    app.aboutToQuit.connect(flow.shutdown)
    flow.start()
    code = app.exec()
    _finish(app)
    return int(code)


# --------------------------------------------------------------------------- demo
DEMO_BUDGET_PAYMENTS = 20_000
DEMO_PETITION_CASES = 1_500
"""Payments of the generated budget year on the demo server (a laptop syncs them in seconds)."""

def run_demo(args: argparse.Namespace) -> int:
    from apps.common.application import has_display
    from apps.common.demo import DemoServer
    from core.auth.service import DEMO_PASSWORD
    from core.paths import data_dir

    _logging()
    server = DemoServer(data_dir() / "demo-server", port=8765, budget_payments=DEMO_BUDGET_PAYMENTS,
                        petition_cases=DEMO_PETITION_CASES).start()
    try:
        print(f"演示服务器：{server.url}（演示用户如 staff、cadre、admin，密码 {DEMO_PASSWORD}）", flush=True)
        if not has_display():
            out = Path(args.out or "screenshots").resolve()
            with tempfile.TemporaryDirectory(prefix="renda-shots-") as work:
                paths = _render(server.url, Path(work), out, getattr(args, "only", []))
            for path in paths:
                print(path)
            print(out)
            return 0
        with contextlib.ExitStack() as stack:
            _demo_room(stack)
            try:
                from apps.portal.serve import demo_portal

                portal_url = stack.enter_context(demo_portal(f"sqlite:///{server.folder / 'server.sqlite3'}"))
                print(f"公众门户（信访网上服务）：{portal_url}", flush=True)
            except (ImportError, RuntimeError) as exc:
                log.info("公众门户没有启动：%s", exc)
            return _demo_window(server.url)
    finally:
        server.stop()


def _demo_room(stack: contextlib.ExitStack) -> None:
    """The machine room of the demo: simulated devices on 127.0.0.1 and a collector, until the demo ends; the
    machine-room console (sign in as machineroom or admin) shows it live. Skipped with a note if it cannot start."""
    try:
        from apps.machine_room.demo_room import DemoRoom
    except ImportError as exc:
        log.info("演示机房没有启动：%s", exc)
        return
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="renda-demo-room-")))
    try:
        room = DemoRoom(folder).start()
    except (OSError, RuntimeError) as exc:
        print(f"演示机房没有启动：{exc}", file=sys.stderr)
        return
    stack.callback(room.stop)
    for key, value in room.environ().items():
        stack.callback(_restore_env, key, os.environ.get(key))
        os.environ[key] = value
    for note in room.notes:
        print(note, flush=True)
    print("演示机房：模拟设备和采集器已启动（用 machineroom 或 admin 登录后打开“机房监控”；"
          "约 10 秒后 1 号精密空调故障，冷通道温度上升，约 1 分钟内告警）", flush=True)


def _restore_env(key: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = value


def _demo_window(server_url: str) -> int:
    from apps.common.application import application
    from apps.common.settings import ClientSettings
    from apps.launcher.flow import DesktopFlow

    settings = ClientSettings()
    app = application(settings)
    flow = DesktopFlow(settings, resume_fn=None, server_url=server_url)
    flow.finished.connect(app.quit)
    app.aboutToQuit.connect(flow.shutdown)
    flow.start()
    if flow.login is not None and not flow.login.user_edit.text():
        flow.login.user_edit.setText("staff")
        flow.login.password_edit.setFocus()
    code = app.exec()
    _finish(app)
    return int(code)


# --------------------------------------------------------------------------- screenshots
def run_screenshots(args: argparse.Namespace) -> int:
    from apps.common.demo import DemoServer

    _logging()
    from apps.common.screenshots import UnfinishedScreen

    out = Path(args.outdir).resolve()
    with tempfile.TemporaryDirectory(prefix="renda-shots-") as work, \
            DemoServer(Path(work) / "server", fast_hashing=True,
                       budget_payments=DEMO_BUDGET_PAYMENTS) as server:
        try:
            paths = _render(server.url, Path(work), out, args.only, report=lambda p: print(p, flush=True),
                            check_glyphs=args.check_glyphs)
        except (MissingGlyphs, UnfinishedScreen) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
    if not paths:
        print("没有生成任何截图", file=sys.stderr)
        return 1
    print(out)
    return 0


class MissingGlyphs(RuntimeError):
    """The interface font draws Chinese characters as empty boxes."""


def _render(server_url: str, work: Path, out: Path, only: list[str], report: Any = None,
            check_glyphs: bool = False) -> list[Path]:
    """Render the screenshots with a QApplication of their own settings (the user's are untouched)."""
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from apps.common.application import application, quiet_offscreen_messages
    from apps.common.qt import QApplication
    from apps.common.screenshots import ShotEnv, render_all
    from apps.common.settings import ClientSettings

    settings = ClientSettings(work / "desktop.ini")
    own_app = QApplication.instance() is None
    app = application(settings)
    if own_app:  # leave a host's message handler (e.g. a test runner's) alone
        quiet_offscreen_messages()
    if check_glyphs:
        from apps.common.fonts import GLYPH_PROBE, missing_glyphs

        missing = missing_glyphs()
        if missing:
            _finish(app)
            raise MissingGlyphs(f"界面字体画不出这些汉字（显示为方框）：{''.join(missing)}；请检查 resources/fonts 下的字体文件")
        if report is not None:
            report(f"中文字形正常：{GLYPH_PROBE}")
    env = ShotEnv(server_url, work, settings)
    try:
        return render_all(env, out, only, report)
    finally:
        env.close()
        _finish(app)
