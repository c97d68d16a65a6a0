"""Default alarm rules for the points the drivers report, from GB 50174-2017 where the standard gives a value.

GB 50174-2017《数据中心设计规范》附录A (classes A, B and C alike, measured in the cold aisle or at the rack
inlet, 5.1.1 条文说明):

- cold-aisle / inlet temperature 18–27 ℃ → ``low_warning`` 18, ``high_warning`` 27;
- dew point 5.5–15 ℃ and relative humidity ≤ 60 % → dew point 5.5 / 15, humidity ``high_warning`` 60;
- rate of temperature change < 20 ℃/h with disk drives (< 5 ℃/h with tape drives) → ``rate_limit_per_h`` 20
  (:data:`TAPE_RATE_LIMIT` for a room with tape libraries);

The appendix's values for a shut-down room, support rooms and the battery room are unconfirmed for the 2017
edition (``LAW.md`` §4.1) and are not used here. The voltage band is GB/T 12325-2008's for 220 V single-phase
supply (+7 % / −10 %), quoted from memory and not yet checked against the text.

The critical limits (32 ℃ inlet, 70 % RH, 35 ℃ return air) and the UPS limits are the office's operating
choices, not the standard's; the administrator changes any of them per point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.monitoring.models import CRITICAL, WARNING

GB50174 = "GB 50174-2017 附录A"
TAPE_RATE_LIMIT = 5.0
DISK_RATE_LIMIT = 20.0


@dataclass(frozen=True, slots=True)
class Default:
    pattern: str
    values: dict[str, Any] = field(default_factory=dict)


DEFAULTS: tuple[Default, ...] = (
    # environment sensors in the cold aisle / at the rack inlet
    Default(r"^(temperature|inlet_temp.*|cold_aisle_temp.*)$",
            {"low_warning": 18.0, "high_warning": 27.0, "high_critical": 32.0, "hysteresis": 0.5,
             "on_delay_s": 30.0, "rate_limit_per_h": DISK_RATE_LIMIT, "rate_window_s": 600.0, "deadband": 0.1,
             "basis": f"{GB50174}：冷通道或机柜进风区域 18–27 ℃，温度变化率 < 20 ℃/h（使用磁盘驱动器）"}),
    Default(r"^(humidity|.*_humidity)$",
            {"high_warning": 60.0, "high_critical": 70.0, "hysteresis": 2.0, "on_delay_s": 60.0, "deadband": 0.5,
             "basis": f"{GB50174}：相对湿度不大于 60 %"}),
    Default(r"^dew_point$",
            {"low_warning": 5.5, "high_warning": 15.0, "hysteresis": 0.5, "on_delay_s": 60.0, "deadband": 0.1,
             "basis": f"{GB50174}：露点温度 5.5–15 ℃"}),
    Default(r"^return_air_temp$", {"high_warning": 30.0, "high_critical": 35.0, "hysteresis": 0.5,
                                   "on_delay_s": 60.0, "deadband": 0.1, "basis": "本机关运行值"}),
    Default(r"^supply_air_temp$", {"low_warning": 13.0, "high_warning": 24.0, "hysteresis": 0.5,
                                   "on_delay_s": 60.0, "deadband": 0.1, "basis": "本机关运行值"}),
    # UPS (NUT and UPS-MIB)
    Default(r"^ups\.on_battery$", {"alarm_when": "true", "state_severity": CRITICAL, "basis": "市电中断"}),
    Default(r"^ups\.low_battery$", {"alarm_when": "true", "state_severity": CRITICAL, "basis": "电池电量低"}),
    Default(r"^ups\.(overload|replace_battery|bypass)$", {"alarm_when": "true", "state_severity": WARNING}),
    Default(r"^battery\.charge$", {"low_warning": 50.0, "low_critical": 20.0, "hysteresis": 5.0, "deadband": 1.0,
                                   "basis": "本机关运行值"}),
    Default(r"^ups\.load$", {"high_warning": 80.0, "high_critical": 95.0, "hysteresis": 3.0, "on_delay_s": 30.0,
                             "deadband": 1.0, "basis": "本机关运行值"}),
    Default(r"^(input|output)\.voltage$", {"low_warning": 198.0, "high_warning": 242.0, "hysteresis": 2.0,
                                           "on_delay_s": 10.0, "deadband": 1.0,
                                           "basis": "GB/T 12325-2008：220 V 单相供电电压偏差 +7 %、−10 %"}),
    # leaks, fire, air-conditioner faults, doors
    Default(r"^(leak_detected|water_under_floor)$", {"alarm_when": "true", "state_severity": CRITICAL,
                                                     "basis": "漏水"}),
    Default(r"^(fire_alarm|agent_released|release_countdown)$", {"alarm_when": "true", "state_severity": CRITICAL,
                                                                 "basis": "气体灭火控制器"}),
    Default(r"^(pre_alarm|panel_fault|cable_broken|controller_fault|sensor_fault)$",
            {"alarm_when": "true", "state_severity": WARNING}),
    Default(r"^(compressor_fault|fan_fault|high_pressure_alarm|low_pressure_alarm|power_fault|high_temp_alarm)$",
            {"alarm_when": "true", "state_severity": CRITICAL, "basis": "精密空调故障"}),
    Default(r"^(low_temp_alarm|high_humidity_alarm|low_humidity_alarm|filter_blocked)$",
            {"alarm_when": "true", "state_severity": WARNING}),
    Default(r"^(main_door_open|back_door_open)$", {"alarm_when": "true", "state_severity": WARNING,
                                                   "on_delay_s": 300.0, "basis": "门长时间未关"}),
    # core switches: an interface going down
    Default(r"^if\..+\.oper_up$", {"alarm_when": "false", "state_severity": CRITICAL, "basis": "端口断开"}),
)


def defaults_for(key: str, unit: str = "") -> dict[str, Any]:
    """The default rule fields of a point key (empty: no alarm, history only)."""
    for default in DEFAULTS:
        if re.match(default.pattern, key):
            return dict(default.values)
    if unit in ("°C", "℃"):
        return {"deadband": 0.1}
    return {}
