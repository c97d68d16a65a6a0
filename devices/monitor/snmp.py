"""UPS network cards, PDUs and the core switches over SNMP v2c or v3 (``pysnmp``'s asyncio API).

A profile says what to read:

- ``ups-mib`` — RFC 1628 UPS-MIB scalars and the first input / output line;
- ``if-mib`` — RFC 2863 IF-MIB per interface: ifOperStatus, ifHCInOctets, ifHCOutOctets, keyed by
  interface name (``if.eth0.oper_up``, ``if.eth0.in_octets`` …).

The driver is synchronous for the collector: it owns an event loop and runs each request on it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devices.monitor.base import (
    BaseDriver,
    ConfigError,
    DeviceProtocolError,
    DeviceUnreachable,
    PointInfo,
    Quality,
    Reading,
    utc_now,
)
from devices.monitor.registry import number

UPS_MIB = "1.3.6.1.2.1.33.1"
IF_TABLE = "1.3.6.1.2.1.2.2.1"
IFX_TABLE = "1.3.6.1.2.1.31.1.1.1"

# upsBatteryStatus (RFC 1628): 1 unknown, 2 batteryNormal, 3 batteryLow, 4 batteryDepleted.
BATTERY_STATUS = {1: "unknown", 2: "normal", 3: "low", 4: "depleted"}
# upsOutputSource: 1 other, 2 none, 3 normal, 4 bypass, 5 battery, 6 booster, 7 reducer.
OUTPUT_SOURCE = {1: "other", 2: "none", 3: "normal", 4: "bypass", 5: "battery", 6: "booster", 7: "reducer"}


@dataclass(frozen=True, slots=True)
class Scalar:
    oid: str
    key: str
    label: str
    unit: str = ""
    scale: float = 1.0
    kind: str = "number"


UPS_POINTS: tuple[Scalar, ...] = (
    Scalar(f"{UPS_MIB}.2.1.0", "battery.status", "电池状态", kind="text"),
    Scalar(f"{UPS_MIB}.2.3.0", "battery.runtime", "电池剩余时间", "s", 60.0),  # minutes in the MIB
    Scalar(f"{UPS_MIB}.2.4.0", "battery.charge", "电池电量", "%"),
    Scalar(f"{UPS_MIB}.2.5.0", "battery.voltage", "电池电压", "V", 0.1),
    Scalar(f"{UPS_MIB}.2.7.0", "battery.temperature", "电池温度", "°C"),
    Scalar(f"{UPS_MIB}.3.3.1.2.1", "input.frequency", "输入频率", "Hz", 0.1),
    Scalar(f"{UPS_MIB}.3.3.1.3.1", "input.voltage", "输入电压", "V"),
    Scalar(f"{UPS_MIB}.4.1.0", "output.source", "输出来源", kind="text"),
    Scalar(f"{UPS_MIB}.4.4.1.2.1", "output.voltage", "输出电压", "V"),
    Scalar(f"{UPS_MIB}.4.4.1.5.1", "ups.load", "负载率", "%"),
)
ENUMS: dict[str, dict[int, str]] = {"battery.status": BATTERY_STATUS, "output.source": OUTPUT_SOURCE}

AUTH = {"MD5": "usmHMACMD5AuthProtocol", "SHA": "usmHMACSHAAuthProtocol", "SHA224": "usmHMAC128SHA224AuthProtocol",
        "SHA256": "usmHMAC192SHA256AuthProtocol", "SHA384": "usmHMAC256SHA384AuthProtocol",
        "SHA512": "usmHMAC384SHA512AuthProtocol"}
PRIV = {"DES": "usmDESPrivProtocol", "AES": "usmAesCfb128Protocol", "AES128": "usmAesCfb128Protocol",
        "AES192": "usmAesCfb192Protocol", "AES256": "usmAesCfb256Protocol"}
PROFILES = ("ups-mib", "if-mib")
# USM report PDUs (RFC 3414) as pysnmp names them, for a clerk to read.
USM_FAILURES = {
    "WrongDigest": "认证密码不对",
    "UnknownUserName": "设备上没有这个 v3 用户",
    "UnsupportedSecLevel": "设备不支持所要求的安全级别（认证 / 加密）",
    "DecryptionError": "加密密码或加密算法不对",
    "UnknownEngineID": "设备的引擎标识不符",
    "NotInTimeWindow": "双方时钟或引擎启动计数不一致",
}


def ups_readings(values: dict[str, Any], now: Any = None) -> list[Reading]:
    """UPS-MIB values (OID -> int, or None when the agent has no such object) -> readings."""
    now = now or utc_now()
    out: list[Reading] = []
    for s in UPS_POINTS:
        raw = values.get(s.oid)
        if raw is None:
            out.append(Reading(s.key, None, s.unit, Quality.BAD, now))
            continue
        if s.key in ENUMS:
            out.append(Reading(s.key, ENUMS[s.key].get(int(raw), f"unknown({int(raw)})"), "", Quality.GOOD, now))
        else:
            value = int(raw) * s.scale
            out.append(Reading(s.key, round(value, 6) if s.scale != 1.0 else int(raw), s.unit, Quality.GOOD, now))
    status, source = values.get(UPS_POINTS[0].oid), values.get(f"{UPS_MIB}.4.1.0")
    out.append(Reading("ups.on_battery", None if source is None else int(source) == 5, "",
                       Quality.BAD if source is None else Quality.GOOD, now))
    out.append(Reading("ups.low_battery", None if status is None else int(status) in (3, 4), "",
                       Quality.BAD if status is None else Quality.GOOD, now))
    return out


def interface_key(name: str, index: int) -> str:
    """A point-key-safe interface name: ``GigabitEthernet1/0/1`` -> ``gigabitethernet1_0_1``."""
    safe = "".join(ch if ch.isalnum() else "_" for ch in name.lower()).strip("_")
    return safe or f"if{index}"


def if_readings(names: dict[int, str], oper: dict[int, int], inoct: dict[int, int], outoct: dict[int, int],
                now: Any = None) -> list[Reading]:
    """IF-MIB columns (ifIndex -> value) -> three readings per interface."""
    now = now or utc_now()
    out: list[Reading] = []
    used: set[str] = set()
    for index in sorted(set(names) | set(oper)):
        key = interface_key(names.get(index, ""), index)
        if key in used:
            key = f"{key}_{index}"
        used.add(key)
        status = oper.get(index)
        out.append(Reading(f"if.{key}.oper_up", None if status is None else status == 1, "",
                           Quality.BAD if status is None else Quality.GOOD, now))
        for col, values in (("in_octets", inoct), ("out_octets", outoct)):
            v = values.get(index)
            out.append(Reading(f"if.{key}.{col}", v, "B", Quality.BAD if v is None else Quality.GOOD, now))
    return out


class SnmpDriver(BaseDriver):
    """One SNMP agent read with one profile."""

    def __init__(self, address: str = "", *, host: str, port: int = 161, profile: str = "ups-mib",
                 community: str | None = None, user: str | None = None, version: str = "2c",
                 auth: str | None = None, priv: str | None = None, auth_key: str | None = None,
                 priv_key: str | None = None, **options: Any) -> None:
        timeout = number(options, "timeout", 2.0, address, low=0.05, high=60)
        super().__init__(address or f"snmp://{host}:{port}", timeout)
        self.retries = number(options, "retries", 1, address, integer=True, low=0, high=5)
        if options:
            raise ConfigError(f"SNMP 地址不认识这些参数：{'、'.join(sorted(options))}（{self.name}）")
        if profile not in PROFILES:
            raise ConfigError(f"SNMP 采集模板只能是 {'、'.join(PROFILES)}：{profile}（{self.name}）")
        version = str(version).lower()
        if version not in ("1", "2c", "3"):
            raise ConfigError(f"SNMP 版本只能是 1、2c 或 3：{version}（{self.name}）")
        self.host, self.port, self.profile, self.version = host, int(port), profile, version
        self.community, self.user = community, user
        self.auth_proto = self.priv_proto = None
        self.auth_key, self.priv_key = auth_key, priv_key
        if version == "3":
            if not user:
                raise ConfigError(f"SNMP v3 需要用户名：{self.name}")
            self.auth_proto, self.auth_key = self._security(auth, auth_key, AUTH, "auth", "认证")
            self.priv_proto, self.priv_key = self._security(priv, priv_key, PRIV, "priv", "加密")
            if self.priv_proto and not self.auth_proto:
                raise ConfigError(f"SNMP v3 只加密不认证是不允许的，请同时给出 auth：{self.name}")
        elif community is None:
            raise ConfigError(f"SNMP v{version} 需要团体名：{self.name}")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._engine: Any = None
        self._target: Any = None

    def _security(self, spec: str | None, key: str | None, table: dict[str, str], name: str,
                  label: str) -> tuple[str | None, str | None]:
        if not spec:
            return None, None
        proto, _, inline = spec.partition(":")
        proto = proto.upper()
        if proto not in table:
            raise ConfigError(f"SNMP v3 的{label}算法只能是 {'、'.join(table)}：{proto}（{self.name}）")
        secret = key or inline
        if len(secret or "") < 8:
            raise ConfigError(f"SNMP v3 的{label}密码至少 8 个字符（{name}=算法:密码 或 {name}_key=）：{self.name}")
        return table[proto], secret

    # --- event loop and engine -----------------------------------------------------------------------

    def _run(self, coro_factory: Callable[[], Any]) -> Any:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(coro_factory())

    async def _setup(self) -> None:
        from pysnmp.hlapi.v3arch import asyncio as hl

        self._engine = hl.SnmpEngine()
        try:
            self._target = await hl.UdpTransportTarget.create((self.host, self.port), timeout=self.timeout,
                                                              retries=self.retries)
        except Exception as exc:  # name resolution and socket errors
            raise DeviceUnreachable(f"SNMP 设备地址无效或无法解析：{self.host}:{self.port}（{exc}）") from exc
        if self.version == "3":
            self._auth = hl.UsmUserData(
                self.user,
                authKey=self.auth_key, privKey=self.priv_key,
                authProtocol=getattr(hl, self.auth_proto) if self.auth_proto else hl.usmNoAuthProtocol,
                privProtocol=getattr(hl, self.priv_proto) if self.priv_proto else hl.usmNoPrivProtocol,
            )
        else:
            self._auth = hl.CommunityData(self.community, mpModel=0 if self.version == "1" else 1)

    def open(self) -> None:
        self.close()
        self._run(self._setup)
        super().open()

    def close(self) -> None:
        if self._engine is not None:
            with contextlib.suppress(Exception):
                self._engine.close_dispatcher()
            self._engine = None
        if self._loop is not None:
            self._loop.run_until_complete(asyncio.sleep(0))
            self._loop.close()
            self._loop = None
        super().close()

    def _check(self, error_indication: Any, error_status: Any, error_index: Any, what: str) -> None:
        if error_indication:
            text = str(error_indication)
            if "timeout" in text.lower() or "No SNMP response" in text:
                raise DeviceUnreachable(f"SNMP 设备 {self.host}:{self.port} 在 {self.timeout:g} 秒内没有应答"
                                        f"（{what}；也可能是团体名或 v3 用户、密码不对）")
            name = type(error_indication).__name__
            if name in USM_FAILURES:
                raise DeviceProtocolError(f"SNMP 设备 {self.host}:{self.port} 拒绝了 v3 访问：{USM_FAILURES[name]}")
            raise DeviceProtocolError(f"SNMP 设备 {self.host}:{self.port} 的应答无法使用（{what}）：{text}")
        if error_status and int(error_status) != 0:
            raise DeviceProtocolError(
                f"SNMP 设备 {self.host}:{self.port} 返回错误 {error_status.prettyPrint()}（{what}，第 {error_index} 项）"
            )

    async def _get(self, oids: list[str]) -> dict[str, Any]:
        from pysnmp.hlapi.v3arch import asyncio as hl
        from pysnmp.proto.rfc1905 import EndOfMibView, NoSuchInstance, NoSuchObject

        objs = [hl.ObjectType(hl.ObjectIdentity(o)) for o in oids]
        ei, es, ix, binds = await hl.get_cmd(self._engine, self._auth, self._target, hl.ContextData(), *objs)
        self._check(ei, es, ix, "GET")
        out: dict[str, Any] = {}
        for name, value in binds:
            if isinstance(value, NoSuchObject | NoSuchInstance | EndOfMibView):
                out[str(name)] = None
            else:
                try:
                    out[str(name)] = int(value)
                except (TypeError, ValueError):
                    raise DeviceProtocolError(
                        f"SNMP 设备 {self.host}:{self.port} 的 {name} 不是整数：{value.prettyPrint()}"
                    ) from None
        return out

    async def _walk(self, column: str, limit: int = 4096) -> dict[int, Any]:
        from pysnmp.hlapi.v3arch import asyncio as hl

        out: dict[int, Any] = {}
        prefix = column + "."
        start = hl.ObjectType(hl.ObjectIdentity(column))
        walk = hl.bulk_walk_cmd(self._engine, self._auth, self._target, hl.ContextData(), 0, 25, start,
                                lexicographicMode=False)
        async for ei, es, ix, binds in walk:
            self._check(ei, es, ix, f"WALK {column}")
            for name, value in binds:
                oid = str(name)
                if not oid.startswith(prefix):
                    continue
                index = int(oid[len(prefix):].split(".")[0])
                out[index] = value.prettyPrint() if value.__class__.__name__ == "OctetString" else int(value)
                if len(out) >= limit:
                    raise DeviceProtocolError(f"SNMP 设备 {self.host}:{self.port} 的接口表过长")
        return out

    async def _read(self) -> list[Reading]:
        if self.profile == "ups-mib":
            return ups_readings(await self._get([s.oid for s in UPS_POINTS]))
        names = await self._walk(f"{IFX_TABLE}.1")  # ifName
        if not names:
            names = await self._walk(f"{IF_TABLE}.2")  # ifDescr, on agents without ifXTable
        oper = await self._walk(f"{IF_TABLE}.8")
        return if_readings({k: str(v) for k, v in names.items()}, oper,
                           await self._walk(f"{IFX_TABLE}.6"), await self._walk(f"{IFX_TABLE}.10"))

    def points(self) -> list[PointInfo]:
        if self.profile == "ups-mib":
            return [PointInfo(s.key, s.label, s.unit, s.kind) for s in UPS_POINTS] + [
                PointInfo("ups.on_battery", "电池供电", "", "bool"),
                PointInfo("ups.low_battery", "电池电量低", "", "bool"),
            ]
        return []  # interfaces are discovered at each read

    def read_all(self) -> list[Reading]:
        if self._engine is None:
            self.open()
        return list(self._run(self._read))
