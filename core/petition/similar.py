"""Repeat and similar petitions, offered while a clerk registers a case.

- :func:`same_person_cases`: the cases of the same person — the same ID number or phone (exact), or the
  same name with a similar address. The clerk's copy may hold masked values (``3101**********1234``,
  ``138****5678``) when the role may not see them in clear: the lookup then compares the masked form of
  what the clerk typed with what is stored, so a repeat is still found, and a full value still matches.
- :func:`similar_cases`: cases whose subject and opening of the content share the most character bigrams
  with the text (the local index of :mod:`core.petition.textindex`), scored by the Dice coefficient of
  their bigram sets (1.0: the same text).
- :func:`link_repeat`: the clerk links the case to an earlier one, as a repeat (same person, same matter:
  ``repeat_of`` is set and statistics count the two once) or a similar petition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.models.base import MaskRule
from core.petition import textindex
from core.petition.models import LINK_KINDS, PetCase, PetCaseLink, PetPetitioner

CANDIDATE_TERMS = 16
"""A lookup reads the postings of the query's rarest bigrams only, at most this many."""
MIN_CANDIDATE_TERMS = 3
POSTINGS_BUDGET = 12_000
"""Past the first three, rarer terms are read only while the postings read stay under this."""
CANDIDATES = 200
MIN_SCORE = 0.2
ADDRESS_MIN_SCORE = 0.5


@dataclass(frozen=True)
class SimilarCase:
    case_id: str
    code: str
    subject: str
    score: float
    state: str
    received_on: date


@dataclass(frozen=True)
class PersonCase:
    case_id: str
    code: str
    subject: str
    state: str
    received_on: date
    petitioner: str
    reason: str
    """身份证号 / 手机号 / 姓名和地址."""


class LinkRefused(ValueError):
    """The link cannot be made; the message says why in Chinese."""


def _forms(value: str, style: str) -> list[str]:
    value = value.strip().replace(" ", "").upper() if style == "id" else value.strip().replace(" ", "")
    if not value:
        return []
    masked = str(MaskRule("", style).apply(value))
    return [value] if masked == value else [value, masked]


def same_person_cases(session: Session, *, id_number: str | None = None, phone: str | None = None,
                      name: str | None = None, address: str | None = None, limit: int = 20) -> list[PersonCase]:
    """The cases of the same person, newest first: the same ID number or phone, or the same name and an
    address at least half alike (bigrams)."""
    reasons: dict[str, str] = {}
    if id_number and (forms := _forms(id_number, "id")):
        for pid in session.scalars(select(PetPetitioner.id).where(PetPetitioner.id_number.in_(forms),
                                                                   PetPetitioner.deleted.is_(False))):
            reasons.setdefault(pid, "身份证号相同")
    if phone and (forms := _forms(phone, "phone")):
        for pid in session.scalars(select(PetPetitioner.id).where(PetPetitioner.phone.in_(forms),
                                                                   PetPetitioner.deleted.is_(False))):
            reasons.setdefault(pid, "手机号相同")
    if name and name.strip():
        wanted = textindex.term_set(address or "")
        rows = session.execute(select(PetPetitioner.id, PetPetitioner.address).where(
            PetPetitioner.name == name.strip(), PetPetitioner.deleted.is_(False)).limit(500))
        for pid, stored in rows:
            if not wanted or stored is None or set(stored) == {"*"}:
                continue  # no address to compare (or it is masked): the name alone is not enough
            if textindex.dice(wanted, textindex.term_set(stored)) >= ADDRESS_MIN_SCORE:
                reasons.setdefault(pid, "姓名相同、地址相近")
    if not reasons:
        return []
    query = (select(PetCase.id, PetCase.code, PetCase.subject, PetCase.state, PetCase.received_on,
                    PetCase.petitioner_id, PetPetitioner.name)
             .join(PetPetitioner, PetPetitioner.id == PetCase.petitioner_id)
             .where(PetCase.petitioner_id.in_(list(reasons)), PetCase.deleted.is_(False))
             .order_by(PetCase.received_on.desc(), PetCase.code.desc()).limit(limit))
    return [PersonCase(cid, code, subject, state, received, person or "", reasons.get(pid or "", ""))
            for cid, code, subject, state, received, pid, person in session.execute(query)]


def similar_cases(session: Session, text: str, *, limit: int = 10, exclude_id: str | None = None,
                  min_score: float = MIN_SCORE, refresh: bool = True) -> list[SimilarCase]:
    """Cases whose text is like ``text``, the most alike first (score 0…1, at least ``min_score``).

    ``refresh`` first brings the local index up to date (cheap when nothing changed)."""
    if refresh:
        textindex.refresh(session)
    query_terms = textindex.term_set(text)
    if not query_terms:
        return []
    chosen: list[int] = []
    read = 0
    for term, df in textindex.rarest(session, query_terms, CANDIDATE_TERMS):
        if len(chosen) >= MIN_CANDIDATE_TERMS and read + df > POSTINGS_BUDGET:
            break  # enough rare terms: a common one would read most of the index for little
        chosen.append(term)
        read += df
    found = textindex.candidates(session, chosen, need=1, limit=CANDIDATES)
    ids = [cid for cid, _hits in found if cid != exclude_id]
    if not ids:
        return []
    rows = session.execute(select(PetCase.id, PetCase.code, PetCase.subject, PetCase.content, PetCase.state,
                                  PetCase.received_on).where(PetCase.id.in_(ids), PetCase.deleted.is_(False)))
    out = []
    for cid, code, subject, content, state, received in rows:
        score = textindex.dice(query_terms, textindex.term_set(textindex.indexed_text(subject, content)))
        if score >= min_score:
            out.append(SimilarCase(cid, code, subject, round(score, 4), state, received))
    out.sort(key=lambda c: (-c.score, c.received_on.toordinal() * -1, c.code))
    return out[:limit]


def link_repeat(session: Session, case: PetCase, earlier_case: PetCase, kind: str = "repeat", *,
                note: str = "") -> PetCaseLink:
    """Link ``case`` to ``earlier_case``; a repeat also sets ``case.repeat_of`` (counted once in statistics).

    Linking twice returns the existing link; a case cannot repeat itself nor a case that repeats it."""
    if kind not in LINK_KINDS:
        raise LinkRefused(f"关联类型“{kind}”不存在，应为重复件（repeat）或相似件（similar）。")
    if case.id == earlier_case.id:
        raise LinkRefused(f"信访件 {case.code} 不能与自身关联。")
    if kind == "repeat" and earlier_case.repeat_of == case.id:
        raise LinkRefused(f"信访件 {earlier_case.code} 已是 {case.code} 的重复件，不能反向关联。")
    existing = session.scalars(select(PetCaseLink).where(
        PetCaseLink.case_id == case.id, PetCaseLink.other_case_id == earlier_case.id,
        PetCaseLink.kind == kind, PetCaseLink.deleted.is_(False))).first()
    if kind == "repeat":
        # a repeat of a repeat counts against the first case of the chain
        root = earlier_case.repeat_of or earlier_case.id
        case.repeat_of = root
    if existing is not None:
        return existing
    link = PetCaseLink(case_id=case.id, other_case_id=earlier_case.id, kind=kind, note=note,
                       committee=case.committee)
    session.add(link)
    session.flush()
    return link


def links_of(session: Session, case_id: str) -> list[PetCaseLink]:
    """The links from or to a case."""
    return list(session.scalars(select(PetCaseLink).where(
        or_(PetCaseLink.case_id == case_id, PetCaseLink.other_case_id == case_id),
        PetCaseLink.deleted.is_(False))))
