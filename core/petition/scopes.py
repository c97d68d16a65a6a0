"""Who sees which petition rows.

- ``petition``: the petition office's cases and petitioners (信访工作人员, 信访办负责人);
- ``petition.committee:<body code>``: a case assigned (交办) to a special committee or working body, with
  its history; the body's liaison sees these only, through a per-user scope grant;
- ``petition.ref``: the reference tables every petition role reads (categories, receiving bodies, routing
  rules, holiday overrides, letter templates).
"""

from __future__ import annotations

OFFICE_SCOPE = "petition"
REFERENCE_SCOPE = "petition.ref"
COMMITTEE_PREFIX = "petition.committee"
ALL_COMMITTEES = f"{COMMITTEE_PREFIX}:*"


def committee_scope(body_code: str) -> str:
    return f"{COMMITTEE_PREFIX}:{body_code}"


def case_scope(committee: str | None) -> str:
    """The scope of a case and of every row that belongs to it: the assigned committee's, else the office's."""
    return committee_scope(committee) if committee else OFFICE_SCOPE
