"""The room configuration file: every fault names the file and the device entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.monitor import ConfigError
from devices.monitor.config import load_room, parse_room
from devices.monitor.poller import Poller

ROOM = """
[room]
id = "main"
name = "机关主机房"

[[device]]
id = "ups-1"
name = "1 号 UPS"
address = "nut://127.0.0.1/ups1"
interval = 5

[[device]]
id = "ac-1"
address = "modbus-rtu:///dev/ttyUSB0?baud=9600&unit=1&map=precision-ac"
interval = 2

[[device]]
id = "core-sw"
address = "snmpv3://monitor@10.0.0.1?auth=SHA:authpass-1&priv=AES:privpass-1&profile=if-mib"
"""


def test_a_room_loads_into_poller_specs(tmp_path: Path) -> None:
    path = tmp_path / "room.toml"
    path.write_text(ROOM, encoding="utf-8")
    room = load_room(path)
    assert (room.id, room.name) == ("main", "机关主机房")
    assert [d.id for d in room.devices] == ["ups-1", "ac-1", "core-sw"]
    assert room.device("ac-1").interval == 2.0
    assert room.device("core-sw").interval == 5.0
    assert room.names == {"ups-1": "1 号 UPS", "ac-1": "ac-1", "core-sw": "core-sw"}
    Poller(list(room.devices))  # the specs are what the poller takes


@pytest.mark.parametrize(("change", "message"), [
    (("[room]\nid = \"main\"", "[room]\nid = \"Main Room\""), "\\[room\\]：id"),
    (("id = \"ac-1\"", "id = \"ups-1\""), "第 2 台设备（ups-1）：设备编号 ups-1 重复"),
    (("map=precision-ac", "map=nosuch"), "第 2 台设备（ac-1）.*没有型号"),
    (("interval = 2", "interval = 0"), "第 2 台设备（ac-1）.*采集周期"),
    (("interval = 2", "interval = \"2s\""), "interval 必须是秒数"),
    (("nut://", "http://"), "第 1 台设备（ups-1）.*不支持的设备地址类型"),
    (("priv=AES:privpass-1", "priv=AES:short"), "第 3 台设备（core-sw）（.*AES:\\*\\*\\*.*）.*至少 8 个字符"),
    (("name = \"1 号 UPS\"", "colour = \"red\""), "不认识的字段 colour"),
])
def test_faults_name_the_file_and_the_device(change: tuple[str, str], message: str) -> None:
    text = ROOM.replace(*change)
    assert text != ROOM
    with pytest.raises(ConfigError, match=message) as info:
        parse_room(text, "room.toml")
    assert "room.toml" in str(info.value)
    assert "privpass" not in str(info.value)


@pytest.mark.parametrize(("text", "message"), [
    ("[room\n", "不是有效的 TOML"),
    ("[[device]]\nid='a'\naddress='nut://h/u'\n", "缺少 \\[room\\]"),
    ("[room]\nid='main'\n", "至少要有一台设备"),
])
def test_broken_files(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_room(text, "room.toml")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="读不了机房配置文件"):
        load_room(tmp_path / "nope.toml")
