"""The SNMP driver against Debian's snmpd: v2c and v3, this machine's real interfaces (IF-MIB),
and UPS-MIB answered by snmpd's ``pass_persist`` extension from a file the test rewrites."""

from __future__ import annotations

import socket

import pytest

from devices.monitor import ConfigError, DeviceProtocolError, DeviceUnreachable, Quality, open_device
from devices.monitor.snmp import ups_readings
from tests.devices.monitor.conftest import UPS_MIB_VALUES
from tests.devices.monitor.servers import Snmpd, free_port, wait_for


def _v3(agent: Snmpd, profile: str) -> str:
    query = f"auth=SHA:{agent.AUTH}&priv=AES:{agent.PRIV}&profile={profile}&timeout=3"
    return f"snmpv3://{agent.USER}@127.0.0.1:{agent.port}?{query}"


def test_reads_ups_mib_over_v2c(snmpd: Snmpd) -> None:
    with open_device(f"snmp://{snmpd.COMMUNITY}@127.0.0.1:{snmpd.port}?profile=ups-mib&timeout=3") as ups:
        readings = {r.key: r for r in ups.read_all()}
        assert {p.key for p in ups.points()} == set(readings)
    assert readings["battery.status"].value == "normal"
    assert readings["battery.charge"].value == 97
    assert readings["battery.runtime"].value == 1800.0
    assert readings["battery.voltage"].value == 54.5
    assert readings["input.voltage"].value == 229
    assert readings["input.frequency"].value == 50.0
    assert readings["output.voltage"].value == 220
    assert readings["ups.load"].value == 41
    assert readings["output.source"].value == "normal"
    assert readings["ups.on_battery"].value is False
    assert readings["ups.low_battery"].value is False
    assert all(r.quality is Quality.GOOD for r in readings.values())


def test_follows_the_ups_going_on_battery_over_v3(snmpd: Snmpd) -> None:
    with open_device(_v3(snmpd, "ups-mib")) as ups:
        assert {r.key: r.value for r in ups.read_all()}["ups.on_battery"] is False
        snmpd.set_ups({**UPS_MIB_VALUES, ".1.3.6.1.2.1.33.1.4.1.0": ("integer", "5"),
                       ".1.3.6.1.2.1.33.1.2.1.0": ("integer", "3"),
                       ".1.3.6.1.2.1.33.1.2.4.0": ("integer", "12")})
        values = {r.key: r.value for r in ups.read_all()}
    assert values["ups.on_battery"] is True
    assert values["ups.low_battery"] is True
    assert values["battery.status"] == "low"
    assert values["output.source"] == "battery"
    assert values["battery.charge"] == 12


def test_an_agent_without_ups_mib_gives_bad_points(snmpd: Snmpd) -> None:
    snmpd.set_ups({})
    with open_device(f"snmp://{snmpd.COMMUNITY}@127.0.0.1:{snmpd.port}?profile=ups-mib&timeout=3") as ups:
        readings = ups.read_all()
    assert {r.quality for r in readings} == {Quality.BAD}


def test_reads_this_machines_interfaces_over_v2c_and_v3(snmpd: Snmpd) -> None:
    names = [name for _, name in socket.if_nameindex()]
    for address in (f"snmp://{snmpd.COMMUNITY}@127.0.0.1:{snmpd.port}?profile=if-mib&timeout=1",
                    _v3(snmpd, "if-mib")):
        with open_device(address) as switch:
            values = {r.key: r.value for r in switch.read_all()}
        assert values["if.lo.oper_up"] is True
        assert isinstance(values["if.lo.in_octets"], int)
        for name in names:
            key = "".join(ch if ch.isalnum() else "_" for ch in name.lower())
            assert f"if.{key}.oper_up" in values


def test_the_loopback_counters_grow_with_traffic(snmpd: Snmpd) -> None:
    with open_device(f"snmp://{snmpd.COMMUNITY}@127.0.0.1:{snmpd.port}?profile=if-mib&timeout=1") as sw:
        before = {r.key: r.value for r in sw.read_all()}["if.lo.out_octets"]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for _ in range(20):
                s.sendto(b"x" * 1000, ("127.0.0.1", free_port(socket.SOCK_DGRAM)))
        assert isinstance(before, int)
        # snmpd caches the interface table for a few seconds: wait for its next refresh
        wait_for(lambda: {r.key: r.value for r in sw.read_all()}["if.lo.out_octets"] >= before + 20_000,
                 timeout=15, what="loopback counter growing")


def test_a_wrong_community_looks_like_silence(snmpd: Snmpd) -> None:
    dev = open_device(f"snmp://wrong@127.0.0.1:{snmpd.port}?profile=ups-mib&timeout=0.3&retries=0")
    with dev, pytest.raises(DeviceUnreachable, match="团体名"):
        dev.read_all()


@pytest.mark.parametrize(("user", "auth", "priv", "message"), [
    ("monitor", "wrongpass1", Snmpd.PRIV, "认证密码不对"),
    ("nobody", Snmpd.AUTH, Snmpd.PRIV, "没有这个 v3 用户"),
])
def test_wrong_v3_credentials_are_refused(snmpd: Snmpd, user: str, auth: str, priv: str, message: str) -> None:
    dev = open_device(f"snmpv3://{user}@127.0.0.1:{snmpd.port}?auth=SHA:{auth}&priv=AES:{priv}&timeout=0.5",
                      retries=0)
    with dev, pytest.raises(DeviceProtocolError, match=message):
        dev.read_all()


def test_an_agent_that_stopped_is_unreachable_then_recovers(snmpd: Snmpd) -> None:
    url = f"snmp://{snmpd.COMMUNITY}@127.0.0.1:{snmpd.port}?profile=if-mib&timeout=0.3&retries=0"
    with open_device(url) as ups:
        assert ups.read_all()[0].good
        snmpd.stop()
        with pytest.raises(DeviceUnreachable, match="没有应答"):
            ups.read_all()
        snmpd.start()
        assert ups.read_all()[0].good


@pytest.mark.parametrize(("address", "message"), [
    ("snmp://127.0.0.1?profile=ups-mib", "团体名"),
    ("snmp://public@127.0.0.1?profile=bridge-mib", "采集模板"),
    ("snmp://public@127.0.0.1?version=4", "版本"),
    ("snmpv3://mon@127.0.0.1?auth=SHA:short", "至少 8 个字符"),
    ("snmpv3://mon@127.0.0.1?auth=CRC:longenough", "认证算法"),
    ("snmpv3://mon@127.0.0.1?priv=AES:longenough", "只加密不认证"),
    ("snmp://public@127.0.0.1?colour=red", "colour"),
])
def test_bad_addresses_are_config_errors(address: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        open_device(address)


def test_ups_mib_enums_outside_the_rfc_are_reported_as_unknown() -> None:
    values = {oid: int(v) for oid, (_, v) in UPS_MIB_VALUES.items()}
    values["1.3.6.1.2.1.33.1.2.1.0"] = 9
    readings = {r.key: r.value for r in ups_readings({k.lstrip("."): v for k, v in values.items()})}
    assert readings["battery.status"] == "unknown(9)"
