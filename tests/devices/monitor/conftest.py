"""Fixtures starting the real protocol peers of the monitoring drivers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.devices.monitor.servers import NUT_LIBEXEC, NutServer, Snmpd

UPS_VALUES = {
    "ups.status": "OL CHRG",
    "battery.charge": "100",
    "battery.runtime": "1800",
    "input.voltage": "230.0",
    "output.voltage": "229.5",
    "ups.load": "35",
    "input.frequency": "50.0",
    "ups.mfr": "Machine room",
}


@pytest.fixture
def nut_server(tmp_path: Path) -> Iterator[NutServer]:
    if NUT_LIBEXEC is None:
        pytest.skip("nut-server is not installed")
    server = NutServer(tmp_path / "nut", {"ups1": dict(UPS_VALUES)})
    try:
        yield server.start()
    finally:
        server.stop()


# UPS-MIB (RFC 1628) values served by snmpd's pass script: OID -> (type, value).
UPS_MIB_VALUES = {
    ".1.3.6.1.2.1.33.1.2.1.0": ("integer", "2"),  # upsBatteryStatus: batteryNormal
    ".1.3.6.1.2.1.33.1.2.3.0": ("integer", "30"),  # upsEstimatedMinutesRemaining
    ".1.3.6.1.2.1.33.1.2.4.0": ("integer", "97"),  # upsEstimatedChargeRemaining
    ".1.3.6.1.2.1.33.1.2.5.0": ("integer", "545"),  # upsBatteryVoltage (0.1 V)
    ".1.3.6.1.2.1.33.1.2.7.0": ("integer", "31"),  # upsBatteryTemperature
    ".1.3.6.1.2.1.33.1.3.3.1.3.1": ("integer", "229"),  # upsInputVoltage.1
    ".1.3.6.1.2.1.33.1.3.3.1.2.1": ("integer", "500"),  # upsInputFrequency.1 (0.1 Hz)
    ".1.3.6.1.2.1.33.1.4.1.0": ("integer", "3"),  # upsOutputSource: normal
    ".1.3.6.1.2.1.33.1.4.4.1.2.1": ("integer", "220"),  # upsOutputVoltage.1
    ".1.3.6.1.2.1.33.1.4.4.1.5.1": ("integer", "41"),  # upsOutputPercentLoad.1
}


@pytest.fixture
def snmpd(tmp_path: Path) -> Iterator[Snmpd]:
    if shutil.which("snmpd") is None and not Path("/usr/sbin/snmpd").exists():
        pytest.skip("snmpd is not installed")
    root = tmp_path / "snmp"
    root.mkdir()
    agent = Snmpd(root, dict(UPS_MIB_VALUES))
    try:
        yield agent.start()
    finally:
        agent.stop()
