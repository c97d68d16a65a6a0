"""Who sees which retired-cadre rows.

- ``cadre``: the records without their sensitive part — basic information (the ID number and phones
  masked by role), interests, life story, categories, awards, extra fields and documents;
- ``cadre.sensitive``: family members, hospital stays, and documents and extra fields marked sensitive.
  Only roles with the need (``cadre.sensitive``) pull this scope, so a laptop whose user may not see
  these rows never holds them, not even masked;
- ``cadre.ref``: the office's configuration every cadre role reads (person categories, extra-field
  definitions, settings such as how many months ahead retirements are reminded).
"""

from __future__ import annotations

RECORD_SCOPE = "cadre"
SENSITIVE_SCOPE = "cadre.sensitive"
REFERENCE_SCOPE = "cadre.ref"


def record_scope(sensitive: bool | None) -> str:
    """The scope of a row that belongs to a person: the sensitive scope when it is marked sensitive."""
    return SENSITIVE_SCOPE if sensitive else RECORD_SCOPE
