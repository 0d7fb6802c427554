"""Fixtures for the dossier tests: approved nominations with the council's votes."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.text import fold
from storage.models import Submission
from storage.models import SubmissionKind
from storage.models import SubmissionStatus

COUNCIL = 9
# (name, position, unit, type, title code, votes for)
NOMINEES = [
    ("Nguyễn Thị Ánh", "Giáo viên", "Tổ Toán - Tin", "individual", "CSTDCS", 8),
    ("Trần Văn Đức", "Giáo viên", "Tổ Ngữ văn", "individual", "LDTT", 9),
    ("Lê Thị Hồng", "Nhân viên", "Văn phòng", "individual", "LDTT", 7),
    ("Phạm Quốc Bảo", "Phó Hiệu trưởng", "Ban giám hiệu", "individual", "GIAY_KHEN", 9),
    ("Tổ Toán - Tin", "", "", "collective", "TTLDTT", 9),
]
DOSSIER_FORM = {
    "issued_on": "2026-06-02",
    "org_name": "Trường THCS Mỹ Thạnh",
    "authority": "Hiệu trưởng Trường THCS Mỹ Thạnh",
    "kinh_gui": "Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh",
    "recipients": "Phòng Văn hóa - Xã hội xã Mỹ Thạnh",
    "meeting_date": "2026-05-28",
    "start_time": "14 giờ 00",
    "end_time": "16 giờ 30",
    "place": "Phòng họp Trường THCS Mỹ Thạnh",
    "chair": "Nguyễn Văn Giàu",
    "chair_position": "Hiệu trưởng, Chủ tịch Hội đồng",
    "secretary": "Võ Thị Em",
    "secretary_position": "Thư ký Hội đồng",
    "members_present": "9",
    "absent": "",
    "agenda": "Hội đồng xem xét hồ sơ đề nghị, thảo luận và bỏ phiếu kín.",
}


def add_submission(session, world, name, position, unit, nominee_type, code, votes, **extra):
    kind = (
        SubmissionKind.COMMENDATION if code.startswith("GIAY_KHEN") else SubmissionKind.REGISTRATION
    )
    submission = Submission(
        organization_id=world["school"], round_id=world["round"], kind=kind.value,
        status=SubmissionStatus.APPROVED.value, created_by_id=world["staff"],
        nominee_type=nominee_type, nominee_name=name, position=position, unit=unit, title_code=code,
        search_key=fold(name), data={}, facts={}, votes_for=votes, council_total=COUNCIL,
        **extra,
    )  # fmt: skip
    session.add(submission)
    session.flush()
    return submission


@pytest.fixture
def approved(app, world):
    """Five approved nominations (four people, one collective) in the school's round."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        ids = [add_submission(session, world, *row).id for row in NOMINEES]
    return ids


def zip_names(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.namelist()
