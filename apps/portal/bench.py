"""Load run of the public portal: concurrent visitors submitting and tracking against a real uvicorn.

``run_portal_load(db_url)`` starts the portal in a process of its own on 127.0.0.1 (rate limits off: every
visitor comes from the same address), runs ``clients`` visitors for ``seconds``, and then checks the
database: every submission that got a receipt must be there exactly once.

Each visitor repeats: open the form, submit (one in five with a PNG attachment), open the receipt, track
with the code and the phone's last four digits, open the progress page. Latencies are per request.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from typing import Any

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_CODE = re.compile(r'id="tracking-code">([^<]+)<')

SERVE = """
import sys, uvicorn
from apps.portal.app import create_app
from apps.portal.settings import PortalSettings
app = create_app(PortalSettings())
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False,
            server_header=False, backlog=1024)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    env = dict(os.environ, RENDA_PORTAL_DB_URL=db_url, RENDA_PORTAL_RATE_LIMITS="false",
               RENDA_PORTAL_SECURE_COOKIES="false", RENDA_PORTAL_SECRET_KEY=uuid.uuid4().hex)
    import httpx

    for _attempt in range(5):
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    return proc, base
            except httpx.HTTPError:
                time.sleep(0.05)
        proc.kill()
        proc.wait(10)
    raise RuntimeError("门户进程没有启动（试运行 renda portal --db … 查看原因）")


async def _visitor(base: str, run: str, index: int, stop_at: float, latencies: list[float],
                   accepted: list[str], errors: list[str]) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False) as http:
        async def call(method: str, path: str, **kw: Any) -> httpx.Response:
            started = time.perf_counter()
            answer = await http.request(method, path, **kw)
            latencies.append((time.perf_counter() - started) * 1000)
            return answer

        n = 0
        while time.monotonic() < stop_at:
            n += 1
            phone = f"139{index:04d}{n % 10000:04d}"
            try:
                form = await call("GET", "/submit")
                token = _CSRF.search(form.text)
                if token is None:
                    errors.append(f"form {form.status_code}")
                    continue
                data = {"csrf": token.group(1), "name": "压力测试", "phone": phone, "district": "310101",
                        "subject": f"【压力测试】{run}", "content": "压力测试的反映内容，" * 4, "consent": "1"}
                files = [("files", ("p.png", PNG, "image/png"))] if n % 5 == 0 else None
                sent = await call("POST", "/submit", data=data, files=files)
                if sent.status_code != 303:
                    errors.append(f"submit {sent.status_code}")
                    continue
                receipt = await call("GET", "/receipt")
                code = _CODE.search(receipt.text)
                if code is None:
                    errors.append(f"receipt {receipt.status_code}")
                    continue
                accepted.append(code.group(1))
                http.cookies.clear()
                form = await call("GET", "/track")
                token = _CSRF.search(form.text)
                if token is None:
                    errors.append("track form")
                    continue
                tracked = await call("POST", "/track", data={"csrf": token.group(1), "code": code.group(1),
                                                             "last4": phone[-4:]})
                if tracked.status_code != 303:
                    errors.append(f"track {tracked.status_code}")
                    continue
                progress = await call("GET", "/progress")
                if progress.status_code != 200:
                    errors.append(f"progress {progress.status_code}")
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_portal_load(db_url: str, clients: int = 50, seconds: float = 30, *,
                    portal_db_url: str | None = None) -> dict[str, Any]:
    """Run the load against the database ``db_url`` (at the newest schema; read afterwards to count the
    submissions). The portal connects with ``portal_db_url`` when given (on PostgreSQL: as renda_portal)."""
    from collections import Counter

    from sqlalchemy import select

    from core.db import make_engine
    from core.petition.intake import PetSubmission

    run = uuid.uuid4().hex[:8]
    proc, base = _start(portal_db_url or db_url)
    latencies: list[float] = []
    accepted: list[str] = []
    errors: list[str] = []
    try:
        started = time.monotonic()

        async def main() -> None:
            stop_at = time.monotonic() + seconds
            await asyncio.gather(*(_visitor(base, run, i, stop_at, latencies, accepted, errors)
                                   for i in range(clients)))

        asyncio.run(main())
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            stored = Counter(conn.execute(select(PetSubmission.tracking_code)
                                          .where(PetSubmission.subject == f"【压力测试】{run}")).scalars())
    finally:
        engine.dispose()
    missing = sum(1 for code in set(accepted) if stored[code] == 0)
    duplicated = sum(n - 1 for n in stored.values() if n > 1) + (len(accepted) - len(set(accepted)))
    return {
        "portal_p99_ms": round(_percentile(latencies, 0.99), 1),
        "portal_p50_ms": round(_percentile(latencies, 0.50), 1),
        "portal_rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "portal_requests": len(latencies),
        "portal_submissions": len(accepted),
        "portal_lost": missing + duplicated,
        "portal_errors": len(errors),
        "portal_clients": clients,
        "portal_seconds": seconds,
    }


if __name__ == "__main__":  # python -m apps.portal.bench DB_URL [clients] [seconds]
    import json

    print(json.dumps(run_portal_load(sys.argv[1], *(int(a) for a in sys.argv[2:4])), ensure_ascii=False))
