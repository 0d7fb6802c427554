"""Hồ sơ khen thưởng of a round in one step: from the approved nominations to four drafts
(Danh sách, Tờ trình, Biên bản, Quyết định) and a batch of Giấy khen.

This module maps submissions onto the body and header fields of each kind's manifest
(``templates_docx/<kind>.json``); the documents themselves are rendered by the worker
(:func:`worker.jobs.documents.render_document`, :func:`worker.jobs.dossier.render_certificates`).
The four drafts share a ``dossier_id``; the certificate job carries it in its args.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.dates import format_date_words
from domain.dates import format_short_date
from domain.emulation.errors import UnknownTitleError
from domain.emulation.titles import TITLES
from domain.emulation.titles import Title
from domain.emulation.titles import get_title
from domain.numbering import format_symbol
from domain.text import clean_line
from domain.text import fold
from domain.text import nfc
from render.context_kinds import percent_text
from services.documents import create_document
from services.documents import request_render
from storage.models import Document
from storage.models import Job
from storage.models import Organization
from storage.models import Round
from storage.models import Submission
from storage.models import SubmissionStatus
from storage.models import new_id
from worker.queues import create_job

# The order the four drafts are made and shown in (the order they are signed in practice:
# the council meets, the list and the proposal go up, the decision comes back).
DOSSIER_KINDS: tuple[str, ...] = ("bien_ban", "danh_sach", "to_trinh", "quyet_dinh")
CERTIFICATES_FUNCTION = "render_certificates"
CERTIFICATES_KIND = "In giấy khen"
COUNCIL = "Hội đồng Thi đua - Khen thưởng"
# Printed where a draft's number will be written by hand (the register gives it on issue).
DRAFT_PLACEHOLDER = "…"
_TITLE_ORDER = {code: index for index, code in enumerate(TITLES)}
_LOWER_WORDS = {"xã", "phường", "huyện", "quận", "tỉnh", "thị", "trấn", "thành", "phố", "và"}


class DossierError(Exception):
    """The dossier cannot be made; ``message`` is Vietnamese and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Nominee:
    """One approved nomination, as the dossier's documents print it."""

    submission_id: int
    name: str
    position: str
    unit: str
    collective: bool
    title: Title
    votes_for: int | None
    council_total: int | None
    achievements: str = ""
    birth_year: int | None = None
    gender: str = ""

    @property
    def position_unit(self) -> str:
        return ", ".join(part for part in (self.position, self.unit) if part)

    @property
    def percent(self) -> str:
        if self.votes_for is None or not self.council_total:
            return ""
        return percent_text(self.votes_for, self.council_total)


@dataclass
class DossierInput:
    """What the clerk confirms on the dossier form (the rest comes from the records)."""

    issued_on: datetime.date | None
    org_name: str  # the organization's name as written inside a sentence
    authority: str  # "Hiệu trưởng Trường THCS Mỹ Thạnh"
    kinh_gui: list[str]
    meeting_date: datetime.date
    start_time: str
    end_time: str
    place: str
    chair: str
    chair_position: str
    secretary: str
    secretary_position: str
    members_present: int
    absent: str = ""
    agenda: str = ""
    recipients: list[str] = field(default_factory=list)


def running_name(name: str) -> str:
    """The organization's name for running text: "TRƯỜNG THCS MỸ THẠNH" → "Trường THCS Mỹ
    Thạnh", "UBND XÃ MỸ THẠNH" → "Ủy ban nhân dân xã Mỹ Thạnh". Names typed in mixed case are
    kept; the clerk can correct the result on the form."""
    text = clean_line(name)
    if not text or text != text.upper():
        return text
    words = []
    for index, word in enumerate(text.split(" ")):
        if word == "UBND":
            words.append("Ủy ban nhân dân")
        elif not any(vowel in fold(word) for vowel in "aeiouy"):
            words.append(word)  # an abbreviation: THCS, THPT, GD&ĐT
        elif index and word.lower() in _LOWER_WORDS:
            words.append(word.lower())
        else:
            words.append(word[:1].upper() + word[1:].lower())
    return " ".join(words)


def head_title(org: Organization) -> str:
    """ "HIỆU TRƯỞNG" → "Hiệu trưởng"."""
    title = clean_line(org.head_title) or "Hiệu trưởng"
    return title[:1].upper() + title[1:].lower()


def period_text(round_: Round) -> str:
    """ "năm học 2025-2026" (or the round's own name when it has no school year)."""
    if round_.school_year:
        return f"năm học {clean_line(round_.school_year)}"
    return clean_line(round_.name)


def default_input(org: Organization, today: datetime.date) -> dict[str, Any]:
    """Initial values of the dossier form, from the organization's header data."""
    org_name = running_name(org.name)
    parent = running_name(org.parent_name)
    return {
        "issued_on": today,
        "org_name": org_name,
        "authority": f"{head_title(org)} {org_name}",
        "kinh_gui": f"Chủ tịch {parent}" if parent else "",
        "meeting_date": today,
        "start_time": "14 giờ 00",
        "end_time": "16 giờ 30",
        "place": f"Phòng họp {org_name}",
        "chair": clean_line(org.head_name),
        "chair_position": f"{head_title(org)}, Chủ tịch Hội đồng",
        "secretary_position": "Thư ký Hội đồng",
        "agenda": (
            "Chủ tịch Hội đồng quán triệt tiêu chuẩn danh hiệu thi đua, hình thức khen thưởng "
            "theo Luật Thi đua, khen thưởng và quy chế thi đua, khen thưởng của đơn vị.\n"
            "Hội đồng xem xét hồ sơ đề nghị, thảo luận và bỏ phiếu kín."
        ),
    }


# -- Reading the round ---------------------------------------------------------------------


def approved_submissions(session: Session, round_: Round) -> list[Submission]:
    """The round's approved submissions that carry a title or form (not initiatives)."""
    return list(
        session.scalars(
            select(Submission).where(
                Submission.organization_id == round_.organization_id,
                Submission.round_id == round_.id,
                Submission.status == SubmissionStatus.APPROVED.value,
                Submission.title_code != "",
            )
        )
    )


def nominee_of(submission: Submission) -> Nominee:
    """Raises UnknownTitleError for a title code the rules do not know."""
    data = submission.data or {}
    birth = data.get("birth_year")
    return Nominee(
        submission_id=submission.id,
        name=clean_line(submission.nominee_name),
        position=clean_line(submission.position),
        unit=clean_line(submission.unit),
        collective=submission.nominee_type == "collective",
        title=get_title(submission.title_code),
        votes_for=submission.votes_for,
        council_total=submission.council_total,
        achievements=nfc(str(data.get("achievements") or "")).strip(),
        birth_year=birth if isinstance(birth, int) else None,
        gender=data.get("gender") if data.get("gender") in ("Nam", "Nữ") else "",
    )


def approved_nominees(session: Session, round_: Round) -> list[Nominee]:
    """Approved nominees, individuals first, by title (lowest first) and name.

    Raises:
        DossierError: when nothing is approved or a row cannot go into the documents
            (no name, unknown title, no vote recorded, different council sizes).
    """
    submissions = approved_submissions(session, round_)
    if not submissions:
        raise DossierError(
            "Đợt thi đua này chưa có hồ sơ nào được Hội đồng đề nghị / công nhận, nên chưa "
            "lập được hồ sơ khen thưởng. Hãy ghi kết quả xét duyệt ở trang Xét duyệt trước."
        )
    problems: list[str] = []
    nominees: list[Nominee] = []
    for submission in submissions:
        label = clean_line(submission.nominee_name) or f"hồ sơ số {submission.id}"
        if not clean_line(submission.nominee_name):
            problems.append(f"{label}: chưa có họ tên (tên tập thể)")
            continue
        try:
            nominee = nominee_of(submission)
        except UnknownTitleError:
            problems.append(f"{label}: danh hiệu “{submission.title_code}” không có trong quy định")
            continue
        if nominee.votes_for is None or not nominee.council_total:
            problems.append(f"{label}: chưa ghi số phiếu đồng ý của Hội đồng")
        elif nominee.votes_for > nominee.council_total:
            problems.append(f"{label}: số phiếu đồng ý lớn hơn tổng số thành viên Hội đồng")
        nominees.append(nominee)
    if problems:
        raise DossierError(
            "Chưa lập được hồ sơ khen thưởng vì: " + "; ".join(problems) + ". "
            "Hãy sửa ở trang Xét duyệt rồi lập lại."
        )
    totals = Counter(n.council_total for n in nominees)
    if len(totals) > 1:
        listed = ", ".join(f"{total} ({count} hồ sơ)" for total, count in sorted(totals.items()))
        raise DossierError(
            "Các hồ sơ ghi tổng số thành viên Hội đồng khác nhau: " + listed + ". "
            "Biên bản một cuộc họp chỉ có một tổng số; hãy thống nhất ở trang Xét duyệt."
        )
    return sorted(
        nominees,
        key=lambda n: (n.collective, _TITLE_ORDER.get(n.title.code, 99), *_name_key(n.name)),
    )


def _name_key(name: str) -> tuple[str, str, str]:
    """Vietnamese lists sort people by their given name (the last word), then the rest."""
    return fold(name.split(" ")[-1]), fold(name), name


def council_size(nominees: list[Nominee]) -> int:
    return nominees[0].council_total or 0


# -- The four documents --------------------------------------------------------------------


def _signer(org: Organization, issued_on: datetime.date | None) -> dict[str, Any]:
    return {
        "date": issued_on.isoformat() if issued_on else None,
        "signer_authority": "",
        "signer_collective": "",
        "signer_position": head_title(org),
        "signer_name": clean_line(org.head_name),
    }


def _count(number: int) -> str:
    return f"{number:02d}"


def _groups(nominees: list[Nominee]) -> list[tuple[Title, int, int]]:
    """(title, collectives, individuals) per title, in the nominees' order."""
    counts: dict[str, list[int]] = {}
    titles: dict[str, Title] = {}
    for nominee in nominees:
        titles[nominee.title.code] = nominee.title
        pair = counts.setdefault(nominee.title.code, [0, 0])
        pair[0 if nominee.collective else 1] += 1
    ordered = sorted(counts, key=lambda code: _TITLE_ORDER.get(code, 99))
    return [(titles[code], counts[code][0], counts[code][1]) for code in ordered]


def _who(collectives: int, individuals: int) -> str:
    parts = []
    if collectives:
        parts.append(f"{_count(collectives)} tập thể")
    if individuals:
        parts.append(f"{_count(individuals)} cá nhân")
    return " và ".join(parts)


def _award_phrase(title: Title) -> str:
    if title.kind == "danh_hieu":
        return f"danh hiệu {title.quoted_name}"
    return f"tặng {title.name}"


def bien_ban_fields(
    org: Organization, round_: Round, nominees: list[Nominee], data: DossierInput
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and body of the council's minutes; votes and % are printed on total members."""
    header = {
        "date": data.meeting_date.isoformat(),
        "summary": f"Họp xét danh hiệu thi đua, khen thưởng {period_text(round_)}",
        "recipients": ["Thành viên Hội đồng"],
    }
    body = {
        "thoi_gian_bat_dau": f"{data.start_time}, {format_date_words(data.meeting_date)}",
        "dia_diem": data.place,
        "so_thanh_vien": council_size(nominees),
        "so_co_mat": data.members_present,
        "vang_mat": data.absent,
        "chu_toa": data.chair,
        "chu_toa_chuc_vu": data.chair_position,
        "thu_ky": data.secretary,
        "thu_ky_chuc_vu": data.secretary_position,
        "noi_dung": data.agenda,
        "ung_vien": [
            {
                "ho_ten": n.name,
                "chuc_vu": n.position_unit,
                "danh_hieu": n.title.name,
                "dong_y": n.votes_for,
            }
            for n in nominees
        ],
        "ket_thuc": (
            f"Cuộc họp kết thúc vào {data.end_time} cùng ngày. "
            "Biên bản đã được thông qua trước Hội đồng./."
        ),
    }
    return header, body


def danh_sach_fields(
    org: Organization, round_: Round, nominees: list[Nominee], data: DossierInput
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The annexed list (trích ngang): one row per nominee."""
    symbol = format_symbol("TTr", org.abbrev)
    header = _signer(org, data.issued_on) | {
        "summary": (
            "Cá nhân, tập thể đề nghị công nhận danh hiệu thi đua, khen thưởng "
            f"{period_text(round_)}"
        ),
    }
    body = {
        "kem_theo": f"Tờ trình số {DRAFT_PLACEHOLDER}/{symbol} của {data.org_name}",
        "nguoi_de_nghi": [
            {
                "ho_ten": n.name,
                "nam_sinh": n.birth_year,
                "gioi_tinh": n.gender,
                "chuc_vu": n.position_unit,
                "danh_hieu": n.title.name,
                "thanh_tich": n.achievements,
                "ghi_chu": "Tập thể" if n.collective else "",
            }
            for n in nominees
        ],
    }
    return header, body


def to_trinh_fields(
    org: Organization, round_: Round, nominees: list[Nominee], data: DossierInput
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The proposal upward: counts per title, equal to the list's (domain rules §2.7)."""
    period = period_text(round_)
    addressee = data.kinh_gui[0] if data.kinh_gui else ""
    collectives = sum(1 for n in nominees if n.collective)
    individuals = len(nominees) - collectives
    header = _signer(org, data.issued_on) | {
        "summary": f"Về việc đề nghị công nhận danh hiệu thi đua, khen thưởng {period}",
        "kinh_gui": data.kinh_gui,
        "recipients": data.recipients,
    }
    body = {
        "theo_de_nghi": (
            f"Xét đề nghị của {COUNCIL} {data.org_name} tại Biên bản họp ngày "
            f"{format_short_date(data.meeting_date)}"
        ),
        "noi_dung": (
            f"Ngày {format_short_date(data.meeting_date)}, {COUNCIL} {data.org_name} đã họp, "
            f"bình xét thi đua {period}; {_who(collectives, individuals)} đạt tiêu chuẩn và "
            "số phiếu đồng ý theo quy định.\n"
            f"{data.org_name} kính trình {addressee} xem xét, công nhận danh hiệu thi đua, "
            "hình thức khen thưởng như sau:"
        ),
        "de_nghi": [
            {
                "hinh_thuc": title.name,
                "tap_the": str(c) if c else "",
                "ca_nhan": str(i) if i else "",
                "ghi_chu": "",
            }
            for title, c, i in _groups(nominees)
        ],
        "ket_luan": (
            "(Có danh sách trích ngang và hồ sơ kèm theo)\n"
            f"Kính trình {addressee} xem xét, quyết định./."
        ),
    }
    return header, body


def quyet_dinh_fields(
    org: Organization, round_: Round, nominees: list[Nominee], data: DossierInput
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The decision: Điều 1 per title, the names in the annexed list."""
    period = period_text(round_)
    awards = "; ".join(
        f"{_award_phrase(title)} cho {_who(c, i)}" for title, c, i in _groups(nominees)
    )
    header = _signer(org, data.issued_on) | {
        "summary": f"Về việc công nhận danh hiệu thi đua, khen thưởng {period}",
        "recipients": data.recipients,
    }
    body = {
        "tham_quyen": data.authority,
        "theo_de_nghi": f"Theo đề nghị của {COUNCIL} {data.org_name}",
        "dieu_1": (
            f"Công nhận danh hiệu thi đua, khen thưởng {period}: {awards}; "
            "có tên trong danh sách kèm theo."
        ),
        "dieu_2": (
            "Các tập thể, cá nhân có tên tại Điều 1 được hưởng tiền thưởng theo quy định hiện "
            "hành.\nNguồn kinh phí: quỹ thi đua, khen thưởng của đơn vị."
        ),
        "dieu_3": (
            "Quyết định có hiệu lực kể từ ngày ký. Văn phòng, Kế toán và các tập thể, cá nhân "
            "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."
        ),
        "tieu_de_danh_sach": (
            f"Danh sách tập thể, cá nhân được công nhận danh hiệu thi đua, khen thưởng {period}"
        ),
        "danh_sach": [
            {
                "ho_ten": n.name,
                "chuc_vu": n.position_unit,
                "hinh_thuc": n.title.name,
                "ghi_chu": "Tập thể" if n.collective else "",
            }
            for n in nominees
        ],
    }
    return header, body


BUILDERS = {
    "bien_ban": bien_ban_fields,
    "danh_sach": danh_sach_fields,
    "to_trinh": to_trinh_fields,
    "quyet_dinh": quyet_dinh_fields,
}


# -- Certificates --------------------------------------------------------------------------


def certificate_fields(
    org: Organization,
    round_: Round,
    nominee: Nominee,
    *,
    authority: str,
    org_name: str,
    decision_number: str,
    decision_date: datetime.date | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One Giấy khen: the award named as in the decision, its number and date."""
    period = period_text(round_)
    if nominee.title.kind == "danh_hieu":
        achievement = f"Đã đạt danh hiệu {nominee.title.quoted_name}\n{period}"
    else:
        achievement = f"Đã có thành tích xuất sắc trong phong trào thi đua\n{period}"
    header = _signer(org, decision_date)
    body = {
        "nguoi_khen": authority,
        "nguoi_nhan": nominee.name,
        "don_vi": ", ".join(p for p in (nominee.position, nominee.unit or org_name) if p),
        "thanh_tich": achievement,
        "so_quyet_dinh": decision_number,
        "ngay_quyet_dinh": decision_date.isoformat() if decision_date else None,
        "so_vang": "",
    }
    return header, body


def decision_reference(org: Organization, decision: Document | None) -> tuple[str, Any]:
    """The decision's "số/ký hiệu" and date for the certificates: the register's once it is
    issued, a blank number to fill by hand while it is a draft."""
    if decision is not None and decision.number is not None:
        return f"{decision.number:02d}/{decision.symbol}", decision.issued_date
    symbol = format_symbol("QĐ", org.abbrev)
    date = (decision.header_fields.get("date") if decision else None) or None
    return f"{DRAFT_PLACEHOLDER}/{symbol}", date


def certificate_file_name(nominee_name: str, used: set[str]) -> str:
    """ "Giấy khen - Trần Thị Bình.docx", unique within one batch."""
    cleaned = "".join(" " if c in '\\/:*?"<>|\r\n\t' else c for c in nfc(nominee_name))
    stem = " ".join(f"Giấy khen - {cleaned}".split())[:120]
    name, number = f"{stem}.docx", 2
    while name in used:
        name, number = f"{stem} ({number}).docx", number + 1
    used.add(name)
    return name


# -- One step ------------------------------------------------------------------------------


@dataclass
class Dossier:
    id: str
    round_id: int
    documents: list[Document]
    certificates_job: Job | None


def create_dossier(
    session: Session,
    app: Flask,
    *,
    org: Organization,
    round_: Round,
    user_id: int,
    data: DossierInput,
) -> Dossier:
    """Make the four drafts (shared dossier id), queue their renders and the certificate
    batch. Nothing is added when a check fails. The jobs are enqueued on commit.

    Raises:
        DossierError: nothing approved, a row not ready, or the organization's header data
            missing.
    """
    if not clean_line(org.head_name):
        raise DossierError(
            "Chưa khai báo họ tên người đứng đầu cơ quan (người ký). Hãy nhập ở Quản trị → "
            "Sửa thông tin cơ quan."
        )
    if not clean_line(org.abbrev):
        raise DossierError("Chưa khai báo chữ viết tắt của cơ quan (dùng trong ký hiệu).")
    nominees = approved_nominees(session, round_)
    if data.members_present > council_size(nominees):
        raise DossierError(
            f"Số thành viên có mặt ({data.members_present}) lớn hơn tổng số thành viên Hội đồng "
            f"ghi ở các hồ sơ ({council_size(nominees)})."
        )
    dossier_id = new_id()
    documents = []
    for kind in DOSSIER_KINDS:
        header, body = BUILDERS[kind](org, round_, nominees, data)
        document = create_document(
            session,
            organization_id=org.id,
            created_by_id=user_id,
            kind=kind,
            header_fields=header,
            body_fields=body,
            round_id=round_.id,
            dossier_id=dossier_id,
        )
        request_render(session, app, document, user_id=user_id)
        documents.append(document)
    decision = documents[DOSSIER_KINDS.index("quyet_dinh")]
    job = queue_certificates(
        session, app, org=org, round_=round_, dossier_id=dossier_id, user_id=user_id,
        submission_ids=[n.submission_id for n in nominees], decision_id=decision.id,
        authority=data.authority, org_name=data.org_name,
    )  # fmt: skip
    return Dossier(dossier_id, round_.id, documents, job)


def queue_certificates(
    session: Session,
    app: Flask,
    *,
    org: Organization,
    round_: Round,
    dossier_id: str,
    user_id: int,
    submission_ids: list[int],
    decision_id: int,
    authority: str,
    org_name: str,
) -> Job:
    """Queue one job that prints a Giấy khen for each submission."""
    return create_job(
        session,
        app,
        function=CERTIFICATES_FUNCTION,
        kind=CERTIFICATES_KIND,
        args={
            "round_id": round_.id,
            "dossier_id": dossier_id,
            "submission_ids": submission_ids,
            "decision_id": decision_id,
            "authority": authority,
            "org_name": org_name,
        },
        organization_id=org.id,
        created_by_id=user_id,
    )


def load_dossier(session: Session, organization_id: int, dossier_id: str) -> Dossier | None:
    """The dossier's documents (in :data:`DOSSIER_KINDS` order) and its latest certificate
    job; None when the organization has no such dossier."""
    documents = list(
        session.scalars(
            select(Document).where(
                Document.organization_id == organization_id, Document.dossier_id == dossier_id
            )
        )
    )
    if not documents:
        return None
    order = {kind: index for index, kind in enumerate(DOSSIER_KINDS)}
    documents.sort(key=lambda d: (order.get(d.kind, 99), d.id))
    return Dossier(
        dossier_id,
        documents[0].round_id or 0,
        documents,
        certificate_job(session, organization_id, dossier_id),
    )


def certificate_job(session: Session, organization_id: int, dossier_id: str) -> Job | None:
    """The latest certificate batch of a dossier (the dossier id is in the job's JSON args,
    which SQLite and PostgreSQL query differently, so the match is made here)."""
    jobs = session.scalars(
        select(Job)
        .where(
            Job.organization_id == organization_id,
            Job.function == f"worker.jobs.{CERTIFICATES_FUNCTION}",
        )
        .order_by(Job.created_at.desc())
    )
    return next((job for job in jobs if job.args.get("dossier_id") == dossier_id), None)


def round_dossiers(session: Session, round_: Round) -> list[tuple[str, datetime.datetime]]:
    """The dossiers made for a round, newest first: (dossier id, created at)."""
    rows = session.execute(
        select(Document.dossier_id, Document.created_at)
        .where(
            Document.organization_id == round_.organization_id,
            Document.round_id == round_.id,
            Document.dossier_id.is_not(None),
        )
        .order_by(Document.created_at.desc(), Document.id.desc())
    ).all()
    seen: dict[str, datetime.datetime] = {}
    for dossier_id, created in rows:
        seen.setdefault(dossier_id, created)
    return list(seen.items())
