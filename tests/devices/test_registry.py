"""A vendor driver is one more registration; nothing else changes."""

from __future__ import annotations

import pytest

from devices.seats import (
    DriverNotFoundError,
    Frame,
    SeatBus,
    available_drivers,
    open_bus,
    open_link,
    register_driver,
)
from devices.seats.drivers.virtual import VirtualSeatBus


class VendorSeatBus(VirtualSeatBus):
    driver_name = "vendor"

    def __init__(self, url: str = "", **options: object) -> None:
        super().__init__(channel=url)


def test_builtin_drivers_are_listed() -> None:
    assert {"serial", "can", "tcp", "virtual"} <= set(available_drivers())


def test_vendor_driver_registers_by_name() -> None:
    register_driver("vendor", VendorSeatBus)
    with open_link("vendor://hall") as a, open_link("vendor://hall") as b:
        assert isinstance(a, SeatBus)
        a.send(Frame(code=0x40, address=1))
        assert b.recv(timeout=2.0) == Frame(code=0x40, address=1)


def test_unknown_driver() -> None:
    with pytest.raises(DriverNotFoundError):
        open_bus("no-such-driver")
