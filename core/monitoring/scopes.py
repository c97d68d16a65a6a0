"""Who sees the machine-room rows: one scope, ``machine_room``, for every room's points, alarms and history.

The machine-room operators (机房值班员) and the collectors (which sign in as an operator account) pull it;
the administrator sees it too, to edit thresholds. The room is a column, not a scope: an operator on duty
watches every room the office has.
"""

from __future__ import annotations

from core.auth.roles import S_MACHINE_ROOM

SCOPE = S_MACHINE_ROOM
