"""Build the frozen `renda` folder with PyInstaller, then smoke-test it before anyone packages it.

The smoke test runs the frozen program itself:

1. ``renda --help`` answers;
2. ``renda server`` starts on a free port and ``/api/health`` answers; a client signs in and syncs a
   document with an attachment from one user to another through it;
3. every screen renders with fontconfig pointed at an empty font folder (a machine without a system
   CJK font), after checking that Chinese characters are drawn as real glyphs and not as the
   missing-glyph box (``renda screenshots --check-glyphs``);
4. a generated PDF report embeds every font it uses (``pdffonts``).

Usage: ``make dist`` (a build environment with only the runtime dependencies and PyInstaller), or
``python build_spec/build.py [--dist DIR] [--skip-build]`` from such an environment.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_PACKAGES = ("hypothesis", "mypy", "pytest", "_pytest", "schemathesis", "selenium", "keyrings")
FAST_HASHING = {"RENDA_SERVER_ARGON2_TIME_COST": "1", "RENDA_SERVER_ARGON2_MEMORY_KIB": "1024",
                "RENDA_SERVER_ARGON2_PARALLELISM": "1"}


class SmokeFailed(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"冒烟测试失败：{message}")


def build(dist: Path, work: Path) -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(ROOT / "build_spec" / "renda.spec")],
                   check=True)
    folder = dist / "renda"
    exe = folder / ("renda-cli.exe" if os.name == "nt" else "renda")
    if not exe.exists():
        raise SystemExit(f"构建失败：没有找到 {exe}")
    return exe


def _step(title: str, started: float) -> None:
    print(f"  ✓ {title}（{time.monotonic() - started:.1f} 秒）", flush=True)


def _run(exe: Path, args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SmokeFailed(f"renda {' '.join(args)} 退出码 {result.returncode}\n{result.stdout[-3000:]}\n"
                          f"{result.stderr[-3000:]}")
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def check_bundle(folder: Path) -> None:
    """No development package travels in the frozen folder."""
    internal = folder / "_internal"
    found = sorted(p.name for p in (internal if internal.is_dir() else folder).iterdir()
                   if p.name.split("-")[0].split(".")[0] in DEV_PACKAGES)
    if found:
        raise SmokeFailed(f"打包目录中有开发用的包：{', '.join(found)}")


def check_installer_lists(folder: Path) -> int:
    """The Windows installer's file lists (installers/windows/filelist.py) cover the frozen folder exactly."""
    sys.path.insert(0, str(ROOT))
    from installers.windows.filelist import frozen_files, uninstall_lines, write_lists

    files = frozen_files(folder)
    install, _uninstall = write_lists(folder, ROOT / "build" / "installer-lists")
    file_lines = [line for line in install.read_text(encoding="utf-8-sig").splitlines() if line.strip().startswith("File ")]
    deletes = [line for line in uninstall_lines(folder) if line.strip().startswith("Delete ")]
    if not files or len(file_lines) != len(files) or len(deletes) != len(files):
        raise SmokeFailed(f"安装程序的文件清单与打包目录不符：{len(files)} 个文件，安装 {len(file_lines)}，卸载 {len(deletes)}")
    return len(files)


def check_server(exe: Path, env: dict[str, str], tmp: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen([str(exe), "server", "--db", f"sqlite:///{tmp / 'server.sqlite3'}",
                               "--data-dir", str(tmp / "server"), "--port", str(port), "--demo-users"],
                              env={**env, **FAST_HASHING}, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                raise SmokeFailed(f"renda server 退出了（退出码 {server.returncode}）\n"
                                  f"{(tmp / 'server.log').read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/health", timeout=5) as answer:
                    health = json.loads(answer.read())
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise SmokeFailed("renda server 90 秒内没有应答 /api/health") from None
                time.sleep(0.2)
        if not isinstance(health, dict) or health.get("status") != "ok":
            raise SmokeFailed(f"/api/health 的应答不对：{health!r}")
        sync_round(url, tmp)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()


def sync_round(url: str, tmp: Path) -> None:
    """Two clients of this build environment's own install sign in to the frozen server: one pushes a
    document with a scanned attachment, the other pulls both back."""
    import hashlib

    from sqlalchemy import select

    from core.auth.service import DEMO_PASSWORD
    from core.db import make_engine, migrate
    from core.features import load_features
    from core.models.registry import Document
    from core.remote import RemoteSession
    from core.sync.client import LocalStore, SyncClient

    load_features()
    pdf = "%PDF-1.4\n冒烟测试附件\n".encode()
    clients = []
    for name in ("staff", "deputy"):
        session = RemoteSession.login(url, name, DEMO_PASSWORD)
        engine = make_engine(f"sqlite:///{tmp / name}.sqlite3")
        migrate(engine)
        store = LocalStore(engine, tmp / f"{name}-blobs")
        store.set_permissions(session.me.permissions)
        clients.append((session, engine, store, SyncClient(store, session.transport)))
    try:
        (_, _, staff_store, staff), (_, _, deputy_store, deputy) = clients
        with staff_store.session() as s, s.begin():
            doc = Document(title="冒烟测试公开文件", classification="public", year=2026)
            s.add(doc)
            s.flush()
            staff_store.attach(s, doc, pdf, "扫描件.pdf")
        pushed = staff.sync()
        if pushed.rejected or pushed.applied < 2:
            raise SmokeFailed(f"同步上传不完整：{pushed}")
        deputy.sync(verify=True)
        with deputy_store.session() as s:
            titles = list(s.scalars(select(Document.title)))
        if titles != ["冒烟测试公开文件"] or deputy.open_attachment(hashlib.sha256(pdf).hexdigest()) != pdf:
            raise SmokeFailed(f"同步下载不完整：{titles}")
    finally:
        for session, engine, _store, _sync in clients:
            session.transport.close()
            engine.dispose()


def empty_fontconfig(tmp: Path) -> Path:
    """A fontconfig file whose only font folder is empty: a machine view with no system CJK font."""
    (tmp / "no-fonts").mkdir()
    conf = tmp / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    f"  <dir>{tmp / 'no-fonts'}</dir>\n  <cachedir>{tmp / 'fc-cache'}</cachedir>\n</fontconfig>\n",
                    encoding="utf-8")
    return conf


def check_screens(exe: Path, env: dict[str, str], tmp: Path) -> int:
    shots = tmp / "shots"
    _run(exe, ["screenshots", str(shots), "--check-glyphs"],
         {**env, "FONTCONFIG_FILE": str(empty_fontconfig(tmp))}, timeout=900)
    pngs = list(shots.glob("*.png"))
    if not pngs or any(p.stat().st_size == 0 for p in pngs):
        raise SmokeFailed("没有生成截图")
    return len(pngs)


def check_pdf_fonts(exe: Path, env: dict[str, str], tmp: Path) -> list[str]:
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        raise SmokeFailed("没有 pdffonts（Debian 包 poppler-utils），无法检查 PDF 是否嵌入字体")
    db = f"sqlite:///{tmp / 'budget.sqlite3'}"
    _run(exe, ["budget", "demo-data", "--year", "2024", "--payments", "2000", "--db", db,
               "--manifest", str(tmp / "manifest.json")], env, timeout=300)
    _run(exe, ["budget", "report", "--year", "2024", "--period", "2024-Q3", "--format", "pdf",
               "--out", str(tmp / "reports"), "--db", db], env, timeout=300)
    pdfs = sorted((tmp / "reports").glob("*.pdf"))
    if not pdfs:
        raise SmokeFailed("没有生成 PDF 报告")
    fonts: list[str] = []
    for pdf in pdfs:
        lines = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True,
                               timeout=60).stdout.splitlines()[2:]
        if not lines:
            raise SmokeFailed(f"{pdf.name} 没有字体")
        for line in lines:
            # name type [type] encoding emb sub uni object ID: "emb" is the fifth field from the right
            fields = line.split()
            if fields[-5] != "yes":
                raise SmokeFailed(f"{pdf.name} 没有嵌入字体 {fields[0]}")
            fonts.append(fields[0])
    return fonts


def check_import_helper(exe: Path, env: dict[str, str], tmp: Path) -> int:
    """A large payments file imported with its checks in a second process, started as the frozen program
    (``multiprocessing.freeze_support`` in ``entry.py``): the bench's import of 110,000 payments."""
    done = _run(exe, ["bench", "budget", "--payments", "110000", "--year", "2024", "--folder", str(tmp / "bench")],
                env, timeout=900)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["imported_by_kind"]["payments"] != 110_000 or not figures["import_second_process"]:
        raise SmokeFailed(f"大文件导入没有由第二个进程检查：{figures}\n{done.stderr[-3000:]}")
    return int(figures["import_rows_per_s"])


def smoke_test(exe: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENDA_", "PYTHON"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="renda-smoke-") as tmp_name:
        tmp = Path(tmp_name)
        env["RENDA_DATA_DIR"] = str(tmp / "data")
        env["RENDA_CONFIG_DIR"] = str(tmp / "config")
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # nothing is kept
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # the sync round's clients
        print("冒烟测试：", flush=True)
        started = time.monotonic()
        check_bundle(exe.parent)
        _step("打包目录中没有开发用的包", started)
        started = time.monotonic()
        listed = check_installer_lists(exe.parent)
        _step(f"安装程序的文件清单与打包目录一致（{listed} 个文件，build/installer-lists）", started)
        started = time.monotonic()
        if "renda" not in _run(exe, ["--help"], env, timeout=120).stdout:
            raise SmokeFailed("renda --help 没有输出帮助")
        _step("renda --help", started)
        started = time.monotonic()
        check_server(exe, env, tmp)
        _step("renda server 应答 /api/health，两个客户端经它同步了文件和附件", started)
        started = time.monotonic()
        fonts = check_pdf_fonts(exe, env, tmp)
        _step(f"PDF 报告嵌入了全部字体：{'、'.join(sorted(set(fonts)))}", started)
        started = time.monotonic()
        rate = check_import_helper(exe, env, tmp)
        _step(f"11 万条支付明细由第二个进程检查、本进程写入（每秒 {rate:,} 行）", started)
        started = time.monotonic()
        count = check_screens(exe, env, tmp)
        _step(f"没有系统中文字体时中文字形正常，{count} 张界面截图", started)
    print("冒烟测试通过", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--skip-build", action="store_true", help="只对已构建的程序做冒烟测试")
    args = parser.parse_args()
    started = time.monotonic()
    if args.skip_build:
        exe = args.dist / "renda" / ("renda-cli.exe" if os.name == "nt" else "renda")
    else:
        exe = build(args.dist, ROOT / "build" / "pyinstaller")
        print(f"构建完成：{exe.parent}（{time.monotonic() - started:.0f} 秒）", flush=True)
    smoke_test(exe)
    print(f"{exe.parent}（共 {time.monotonic() - started:.0f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
