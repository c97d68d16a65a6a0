"""`renda kiosk` reaches the kiosk's own options."""

from __future__ import annotations

import pytest

from apps.cli import main


def test_renda_kiosk_help_lists_the_kiosk_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["kiosk", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "主席团电子会务全屏终端" in out and "--link" in out and "--face" in out
