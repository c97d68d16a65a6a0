"""Build the frozen `renda` folder with PyInstaller, then smoke-test it before anyone packages it:
the command line answers, a server starts and reports healthy, and the screens render offscreen.

Usage: python build_spec/build.py [--dist DIR]   (needs `pip install pyinstaller`)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(dist: Path, work: Path) -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", str(dist),
                    "--workpath", str(work), str(ROOT / "build_spec" / "renda.spec")], check=True)
    exe = dist / "renda" / ("renda.exe" if os.name == "nt" else "renda")
    if not exe.exists():
        raise SystemExit(f"构建失败：没有找到 {exe}")
    return exe


def smoke_test(exe: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        env["RENDA_DATA_DIR"] = str(Path(tmp) / "data")
        env["RENDA_CONFIG_DIR"] = str(Path(tmp) / "config")
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # nothing is kept
        subprocess.run([str(exe), "--help"], check=True, env=env, capture_output=True, timeout=120)
        shots = Path(tmp) / "shots"
        result = subprocess.run([str(exe), "screenshots", str(shots)], env=env, capture_output=True, text=True,
                                timeout=600)
        if result.returncode != 0:
            raise SystemExit(f"冒烟测试失败：截图命令出错\n{result.stdout}\n{result.stderr}")
        pngs = list(shots.glob("*.png"))
        if not pngs or any(p.stat().st_size == 0 for p in pngs):
            raise SystemExit("冒烟测试失败：没有生成截图")
        print(f"冒烟测试通过：{len(pngs)} 张截图")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    exe = build(args.dist, ROOT / "build" / "pyinstaller")
    smoke_test(exe)
    print(exe.parent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
