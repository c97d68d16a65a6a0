"""Scenario files, and ``renda monitor simulate`` / ``run`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.cli import main
from apps.machine_room.simulator import load_scenario, parse_scenario
from devices.monitor.base import ConfigError

SCENARIOS = sorted((Path(__file__).parents[2] / "resources" / "monitor" / "scenarios").glob("*.toml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_loads(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.devices and scenario.events and scenario.duration > 0
    assert [e.at for e in scenario.events] == sorted(e.at for e in scenario.events)


def test_the_shipped_scenarios_cover_the_events_of_a_machine_room() -> None:
    names = {p.stem for p in SCENARIOS}
    assert {"mains-failure", "ac-fault", "leak", "fire", "device-silent", "switch-port-down"} <= names


@pytest.mark.parametrize(("text", "message"), [
    ("[scenario]\n", "至少要有一台设备"),
    ("[scenario]\n[[device]]\nid = 'a'\nmodel = 'toaster'\n", "第 1 台设备（a）：model 必须是已有的寄存器映射"),
    ("[scenario]\n[[device]]\nid = 'a'\nmodel = 'leak-cable'\n[[event]]\nat = 1\ndevice = 'b'\n",
     "第 1 个事件：device 必须是场景中的设备编号"),
    ("[scenario]\n[[device]]\nid = 'a'\nmodel = 'leak-cable'\n[[event]]\nat = -1\ndevice = 'a'\n",
     "第 1 个事件：at 必须是"),
    ("[scenario]\n[[device]]\nid = 'a'\nmodel = 'leak-cable'\n[[event]]\ndevice = 'a'\nramp = { x = true }\n",
     "ramp 的目标值必须是数"),
    ("[scenario]\ninterval = 0\n", "interval 必须是"),
    ("[scenario]\n[[device]]\nid = 'sw'\nprotocol = 'snmp'\nports = 8\n[[event]]\ndevice = 'sw'\nset = { 'port.9' = false }\n",
     "第 1 个事件：交换机只能设置端口状态"),
    ("not toml [", "不是有效的 TOML"),
])
def test_bad_scenarios_are_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("（", "\\（").replace("）", "\\）")):
        parse_scenario(text, "坏场景.toml")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_a_scenario_or_a_chinese_error(text: str) -> None:
    try:
        parse_scenario(text)
    except ConfigError as exc:
        assert str(exc).startswith(("场景文件", "读不了"))


def test_simulate_plays_a_leak_and_the_collector_raises_the_alarm(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "快速漏水.toml"
    scenario.write_text('[scenario]\nname = "快速漏水"\ninterval = 0.1\nduration = 2\n'
                        '[[device]]\nid = "leak-1"\nmodel = "leak-cable"\n'
                        '[[event]]\nat = 0.3\ndevice = "leak-1"\nset = { leak_detected = true }\nnote = "漏水"\n',
                        encoding="utf-8")
    assert main(["monitor", "simulate", "--scenario", str(scenario), "--db",
                 f"sqlite:///{tmp_path / 'sim.sqlite3'}"]) == 0
    out = capsys.readouterr().out
    assert "leak-1：漏水" in out and "告警 #1 [严重] leak-1 leak_detected 状态告警" in out


def test_run_refuses_a_bad_room_file_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    room = tmp_path / "主机房.toml"
    room.write_text('[room]\nid = "main"\n[[device]]\nid = "x"\naddress = "carrier-pigeon://roof"\n', encoding="utf-8")
    assert main(["monitor", "run", "--config", str(room)]) == 2
    assert "第 1 台设备（x）" in capsys.readouterr().err
    assert main(["monitor", "simulate", "--scenario", str(tmp_path / "没有.toml")]) == 2
    assert "读不了场景文件" in capsys.readouterr().err


def test_a_switch_port_going_down_is_read_over_real_snmp_and_is_a_critical_state(tmp_path: Path) -> None:
    from apps.machine_room.peers import SNMPD
    from apps.machine_room.simulator import SimulatedRoom
    from devices.monitor.registry import open_device

    if SNMPD is None:
        pytest.skip("snmpd is not installed")
    scenario = parse_scenario('[scenario]\n[[device]]\nid = "sw-1"\nprotocol = "snmp"\nports = 4\n'
                              '[[event]]\nat = 0\ndevice = "sw-1"\nset = { "port.2" = false }\n')
    room = SimulatedRoom(scenario, tmp_path).start()
    try:
        room.apply(scenario.events[0], 0.0)
        with open_device(room.address("sw-1")) as switch:
            up = {r.key: r.value for r in switch.read_all() if r.key.endswith(".oper_up")}
    finally:
        room.stop()
    from core.monitoring.defaults import defaults_for

    rule = defaults_for("if.gi1_0_2.oper_up")
    assert (rule["alarm_when"], rule["state_severity"]) == ("false", "critical")
    assert up == {"if.gi1_0_1.oper_up": True, "if.gi1_0_2.oper_up": False, "if.gi1_0_3.oper_up": True,
                  "if.gi1_0_4.oper_up": True}


def test_run_collects_a_room_file_for_the_given_seconds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from apps.machine_room.peers import ModbusFarm

    with ModbusFarm() as farm:
        sensor = farm.add("th-1", "temp-humidity")
        sensor.set("temperature", 23.4)
        room = tmp_path / "主机房.toml"
        room.write_text(f'[room]\nid = "main"\nname = "主机房"\n[[device]]\nid = "th-1"\naddress = "{sensor.address}"\n'
                        'interval = 0.1\n', encoding="utf-8")
        assert main(["monitor", "run", "--config", str(room), "--seconds", "0.6",
                     "--db", f"sqlite:///{tmp_path / 'collector.sqlite3'}"]) == 0
    out = capsys.readouterr().out
    assert "机房 main（主机房）：1 台设备" in out and "告警 0 条" in out
    assert int(out.split("读数 ")[1].split(" 个")[0]) >= 4
