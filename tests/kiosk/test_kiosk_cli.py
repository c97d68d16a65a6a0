"""`renda kiosk` reaches the kiosk's own options, and starts a prepared meeting from the local store."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from apps.cli import main
from apps.kiosk.__main__ import add_arguments


def test_renda_kiosk_help_lists_the_kiosk_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["kiosk", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "主席团电子会务全屏终端" in out and "--link" in out and "--face" in out


def test_renda_kiosk_starts_a_meeting_sent_to_the_hall_from_the_local_store(tmp_path: Path) -> None:
    from apps.kiosk.__main__ import hall_store_and_setup
    from apps.kiosk.window import open_records_store
    from core.conference.recorder import save_setup
    from tests.conference.factory import make_setup

    path = tmp_path / "local.sqlite3"
    store = open_records_store(path)
    setup = make_setup(5)
    with store.session() as s, s.begin():
        save_setup(s, setup, status="ready")
    store.engine.dispose()
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--link", "virtual://hall", "--store", str(path), "--meeting", setup.meeting_id])
    opened, prepared = hall_store_and_setup(args)
    assert opened is not None and prepared is not None and prepared() == setup
    opened.engine.dispose()
    with pytest.raises(SystemExit):
        hall_store_and_setup(parser.parse_args(["--link", "virtual://hall", "--meeting", setup.meeting_id]))
