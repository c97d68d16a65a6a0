"""Machine-room monitoring: points and thresholds, alarms, history and the collector's store.

No Qt, no web framework; the drivers are in ``devices.monitor``. See ``docs/machineroom.md``.
"""
