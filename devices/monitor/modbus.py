"""Air-conditioners, sensors, leak cables, the fire panel and door contacts over Modbus TCP or RTU.

The protocol stack is ``pymodbus`` (its synchronous clients); what a device's registers mean comes
from its register map (:mod:`devices.monitor.regmap`), one TOML file per device model.
"""

from __future__ import annotations

import logging
import math
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
from devices.monitor.regmap import BIT_TABLES, Block, RegisterMap, decode_point, load_map, plan_reads

# Modbus exception codes (Modbus Application Protocol v1.1b3, section 7), for a clerk to read.
EXCEPTION_CODES = {
    1: "非法功能码（设备不支持这种读取）",
    2: "非法数据地址（映射文件中的地址在该设备上不存在）",
    3: "非法数据值",
    4: "设备故障",
    5: "已受理，处理中",
    6: "设备忙",
    8: "存储奇偶校验错误",
    10: "网关路径不可用（网关后面的设备未配置）",
    11: "网关后的目标设备没有应答",
}
PARITIES = {"N": "N", "E": "E", "O": "O", "NONE": "N", "EVEN": "E", "ODD": "O"}


def _quiet_pymodbus() -> None:
    # pymodbus logs every failed connect and retry as an error; the driver raises typed errors instead.
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)


class ModbusDriver(BaseDriver):
    """One Modbus device (a unit id on a TCP host or on an RS-485 line) read through its register map."""

    def __init__(self, address: str = "", *, transport: str, map: str | RegisterMap | None = None,
                 host: str = "", port: int = 502, device: str = "", **options: Any) -> None:
        if map is None:
            raise ConfigError(f"Modbus 地址缺少 map=设备型号（寄存器映射）：{address}")
        timeout = number(options, "timeout", 1.0, address, low=0.01, high=120)
        super().__init__(address or f"modbus-{transport}://{host or device}", timeout)
        self.unit = number(options, "unit", 1, address, integer=True, low=0, high=247)
        self.retries = number(options, "retries", 0, address, integer=True, low=0, high=5)
        self.transport = transport
        self.regmap = map if isinstance(map, RegisterMap) else load_map(map)
        self.blocks: list[Block] = plan_reads(self.regmap.points, self.regmap.max_block, self.regmap.max_gap)
        self._client: Any = None
        if transport == "tcp":
            self.host, self.port = host, int(port)
            self.where = f"{host}:{port} 站号 {self.unit}"
        elif transport == "rtu":
            self.device = device
            self.baudrate = number(options, "baud", 9600, address, integer=True, low=300, high=921600)
            parity = str(options.pop("parity", "N")).upper()
            if parity not in PARITIES:
                raise ConfigError(f"设备地址 {self.name} 的参数“parity”必须是 N、E 或 O：{parity}")
            self.parity = PARITIES[parity]
            self.stopbits = number(options, "stopbits", 1, address, integer=True, low=1, high=2)
            self.bytesize = number(options, "bytesize", 8, address, integer=True, low=7, high=8)
            self.where = f"串口 {device} 站号 {self.unit}"
        else:
            raise ConfigError(f"Modbus 传输方式只能是 tcp 或 rtu：{transport}")
        if options:
            raise ConfigError(f"Modbus 地址不认识这些参数：{'、'.join(sorted(options))}（{self.name}）")

    def _make_client(self) -> Any:
        _quiet_pymodbus()
        from pymodbus.client import ModbusSerialClient, ModbusTcpClient

        if self.transport == "tcp":
            return ModbusTcpClient(self.host, port=self.port, timeout=self.timeout, retries=self.retries,
                                   reconnect_delay=0)
        return ModbusSerialClient(self.device, baudrate=self.baudrate, parity=self.parity,
                                  stopbits=self.stopbits, bytesize=self.bytesize, timeout=self.timeout,
                                  retries=self.retries, reconnect_delay=0)

    def open(self) -> None:
        self.close()
        client = self._make_client()
        try:
            ok = client.connect()
        except Exception as exc:  # pymodbus raises OSError subclasses or its own ConnectionException
            client.close()
            raise DeviceUnreachable(f"连不上 Modbus 设备 {self.where}（{exc}）") from exc
        if not ok:
            client.close()
            raise DeviceUnreachable(f"连不上 Modbus 设备 {self.where}")
        self._client = client
        super().open()

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()
        super().close()

    def points(self) -> list[PointInfo]:
        out: list[PointInfo] = []
        for p in self.regmap.points:
            if p.bits:
                out += [PointInfo(b.key, b.label, "", "bool" if b.width == 1 else "number") for b in p.bits]
            else:
                out.append(PointInfo(p.key, p.label, p.unit, "bool" if p.table in BIT_TABLES else "number"))
        return out

    def _read_block(self, block: Block) -> list[int] | list[bool]:
        from pymodbus.exceptions import ModbusException

        client = self._client
        read = {
            "holding": client.read_holding_registers,
            "input": client.read_input_registers,
            "coil": client.read_coils,
            "discrete": client.read_discrete_inputs,
        }[block.table]
        try:
            response = read(block.start, count=block.count, device_id=self.unit)
        except ModbusException as exc:
            self.close()
            raise DeviceUnreachable(f"Modbus 设备 {self.where} 没有应答或连接中断（{exc}）") from exc
        except OSError as exc:
            self.close()
            raise DeviceUnreachable(f"Modbus 设备 {self.where} 的连接中断（{exc}）") from exc
        if response.isError():
            code = int(getattr(response, "exception_code", 0))
            text = EXCEPTION_CODES.get(code, f"异常码 {code}")
            raise DeviceProtocolError(
                f"Modbus 设备 {self.where} 拒绝读取 {block.table} {block.start}–{block.start + block.count - 1}：{text}"
            )
        if block.table in BIT_TABLES:
            bits = list(response.bits)
            if len(bits) < block.count:
                raise DeviceProtocolError(f"Modbus 设备 {self.where} 返回的位数不足")
            return [bool(b) for b in bits[: block.count]]
        registers = list(response.registers)
        if len(registers) != block.count:
            raise DeviceProtocolError(
                f"Modbus 设备 {self.where} 返回 {len(registers)} 个寄存器，应为 {block.count} 个"
            )
        return registers

    def read_all(self) -> list[Reading]:
        if self._client is None:
            self.open()
        now = utc_now()
        units = {p.key: p.unit for p in self.regmap.points}
        out: list[Reading] = []
        for block in self.blocks:
            data = self._read_block(block)
            for point in block.points:
                for key, value in decode_point(point, block, data, self.regmap.word_order):
                    unit = "" if point.bits else units[point.key]
                    if isinstance(value, float) and not math.isfinite(value):
                        out.append(Reading(key, None, unit, Quality.BAD, now))  # a float32 NaN: no value
                    else:
                        out.append(Reading(key, value, unit, Quality.GOOD, now))
        return out
