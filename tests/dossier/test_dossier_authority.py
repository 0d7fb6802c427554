"""Which document of the dossier each title goes into and whom it is addressed to, per rule
set (NĐ 98/2023 before 01/7/2025, NĐ 152/2025 after) and per kind of organisation; the
statements of the Biên bản and Tờ trình follow the recorded facts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from domain.emulation.authority import default_superior_address
from domain.text import fold
from services.dossier import DossierError
from services.dossier import DossierInput
from services.dossier import build_dossier
from storage.models import Document
from storage.models import DocumentSubject
from storage.models import Organization
from storage.models import Person
from storage.models import Round
from storage.models import Submission
from storage.models import SubmissionKind
from storage.models import SubmissionStatus

COUNCIL = 9
COMMUNE_THCS = {
    "org_kind": "truong_thcs", "superior_kind": "ubnd_xa",
    "superior_name": "Ủy ban nhân dân xã Mỹ Thạnh",
}  # fmt: skip
SO_THPT = {
    "org_kind": "truong_thpt", "superior_kind": "so_gddt",
    "superior_name": "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp",
}  # fmt: skip
DISTRICT_THCS = {
    "org_kind": "truong_thcs", "superior_kind": "phong_gddt",
    "superior_name": "Phòng Giáo dục và Đào tạo huyện Cao Lãnh",
    "superior_decider": "Chủ tịch Ủy ban nhân dân huyện Cao Lãnh",
}  # fmt: skip
XA = "Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh"
SO = "Sở Giáo dục và Đào tạo tỉnh Đồng Tháp"
PHONG = "Phòng Giáo dục và Đào tạo huyện Cao Lãnh"

AFTER = ("ND152_2025", date(2026, 6, 2))
BEFORE = ("ND98_2023", date(2025, 6, 2))

CASES = [
    # (placement, (rule set, signing day), title, part, Kính gửi of that part)
    (COMMUNE_THCS, AFTER, "GIAY_KHEN", "quyet_dinh:HEAD", None),
    (COMMUNE_THCS, AFTER, "LDTT", "to_trinh:CT_UBND_XA", XA),
    (COMMUNE_THCS, AFTER, "CSTDCS", "to_trinh:CT_UBND_XA", XA),
    (COMMUNE_THCS, AFTER, "TTLDTT", "to_trinh:CT_UBND_XA", XA),
    (COMMUNE_THCS, AFTER, "GIAY_KHEN_UBND_XA", "to_trinh:CT_UBND_XA", XA),
    (COMMUNE_THCS, AFTER, "TTLDXS", "to_trinh:CT_UBND_TINH", XA),
    (COMMUNE_THCS, AFTER, "BK_UBND_TINH", "to_trinh:CT_UBND_TINH", XA),
    (COMMUNE_THCS, AFTER, "BK_BO_GDDT", "to_trinh:BT_GDDT", XA),
    (COMMUNE_THCS, AFTER, "KNC_GD", "to_trinh:BT_GDDT", XA),
    (COMMUNE_THCS, AFTER, "BK_TTG", "to_trinh:TTG", XA),
    (SO_THPT, AFTER, "GIAY_KHEN", "quyet_dinh:HEAD", None),
    (SO_THPT, AFTER, "LDTT", "to_trinh:GD_SO", SO),
    (SO_THPT, AFTER, "CSTDCS", "to_trinh:GD_SO", SO),
    (SO_THPT, AFTER, "GIAY_KHEN_GD_SO", "to_trinh:GD_SO", SO),
    (SO_THPT, AFTER, "BK_UBND_TINH", "to_trinh:CT_UBND_TINH", SO),
    (SO_THPT, BEFORE, "CSTDCS", "to_trinh:GD_SO", SO),
    (DISTRICT_THCS, BEFORE, "GIAY_KHEN", "quyet_dinh:HEAD", None),
    (DISTRICT_THCS, BEFORE, "LDTT", "to_trinh:CT_UBND_HUYEN", PHONG),
    (DISTRICT_THCS, BEFORE, "CSTDCS", "to_trinh:CT_UBND_HUYEN", PHONG),
    (DISTRICT_THCS, BEFORE, "TTLDTT", "to_trinh:CT_UBND_HUYEN", PHONG),
    (DISTRICT_THCS, BEFORE, "GIAY_KHEN_UBND_HUYEN", "to_trinh:CT_UBND_HUYEN", PHONG),
    (DISTRICT_THCS, BEFORE, "TTLDXS", "to_trinh:CT_UBND_TINH", PHONG),
]


def make_org(session, placement: dict, ruleset: str, **settings) -> tuple[Organization, Round]:
    org = Organization(
        name="TRƯỜNG THCS MỸ THẠNH", parent_name="", abbrev="THCSMT", place="Mỹ Thạnh",
        head_title="HIỆU TRƯỞNG", head_name="Nguyễn Văn Giàu", province="tỉnh Đồng Tháp",
        settings=settings, **placement,
    )  # fmt: skip
    session.add(org)
    session.flush()
    round_ = Round(
        organization_id=org.id, name="Năm học", school_year="2024-2025", ruleset_id=ruleset,
        reference_date=date(2025, 5, 31), registration_opens=date(2024, 9, 1),
        registration_closes=date(2024, 10, 1), nomination_opens=date(2025, 5, 1),
        nomination_closes=date(2025, 5, 30),
    )  # fmt: skip
    session.add(round_)
    session.flush()
    return org, round_


def nominate(session, org, round_, user_id, name, code, votes=COUNCIL, **extra) -> Submission:
    collective = code.startswith("TT") or code.startswith("CTD")
    kind = extra.pop("kind", SubmissionKind.REGISTRATION.value)
    submission = Submission(
        organization_id=org.id, round_id=round_.id, kind=kind, created_by_id=user_id,
        status=extra.pop("status", SubmissionStatus.APPROVED.value),
        nominee_type="collective" if collective else "individual", nominee_name=name,
        position="Giáo viên", unit="Tổ Toán - Tin", title_code=code, search_key=fold(name),
        data=extra.pop("data", {}), facts={}, votes_for=votes,
        council_total=COUNCIL if votes is not None else None, **extra,
    )  # fmt: skip
    session.add(submission)
    session.flush()
    return submission


def inputs(day: date, kinh_gui: str | None) -> DossierInput:
    return DossierInput(
        issued_on=day, org_name="Trường THCS Mỹ Thạnh",
        authority="Hiệu trưởng Trường THCS Mỹ Thạnh", kinh_gui=[kinh_gui] if kinh_gui else [],
        meeting_date=day, start_time="14 giờ 00", end_time="16 giờ 30", place="Phòng họp",
        chair="Nguyễn Văn Giàu", chair_position="Hiệu trưởng, Chủ tịch Hội đồng",
        secretary="Võ Thị Em", secretary_position="Thư ký Hội đồng", members_present=COUNCIL,
        agenda="Hội đồng bỏ phiếu kín.",
    )  # fmt: skip


def build(app, session, org, round_, user_id, day, kinh_gui=None):
    return build_dossier(
        session, app, org=org, round_=round_, user_id=user_id,
        data=inputs(day, kinh_gui or _address(org)),
    )  # fmt: skip


def _address(org: Organization) -> str:
    return default_superior_address(org.superior_kind, org.superior_name, org.superior_decider)


def parts_naming(session, dossier_id: str, submission_id: int) -> dict[str, Document]:
    rows = session.scalars(
        select(Document)
        .join(DocumentSubject, DocumentSubject.document_id == Document.id)
        .where(Document.dossier_id == dossier_id, DocumentSubject.submission_id == submission_id)
    )
    return {d.dossier_part: d for d in rows}


@pytest.mark.parametrize(("placement", "period", "code", "part", "kinh_gui"), CASES)
def test_each_title_goes_into_the_document_of_its_decision_maker(
    app, world, placement, period, code, part, kinh_gui
):
    ruleset, day = period
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org, round_ = make_org(session, placement, ruleset)
        submission = nominate(session, org, round_, world["clerk"], "Trần Thị Bình", code)
        result = build(app, session, org, round_, world["clerk"], day)
        named = parts_naming(session, result.dossier.id, submission.id)
        assert set(named) - {"bien_ban"} == (
            {part} if part == "quyet_dinh:HEAD" else {part, part.replace("to_trinh", "danh_sach")}
        )
        document = named[part]
        if kinh_gui:
            assert document.header_fields["kinh_gui"] == [kinh_gui]
            decider = document.header_fields["decider"]
            closing = document.body_fields["ket_luan"]
            assert decider in closing
        else:
            assert "Giấy khen" in document.body_fields["dieu_1"]
        session.rollback()


def test_the_district_giay_khen_is_refused_after_the_reform(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org, round_ = make_org(session, COMMUNE_THCS, "ND98_2023")
        nominate(session, org, round_, world["clerk"], "Trần Thị Bình", "GIAY_KHEN_UBND_HUYEN")
        with pytest.raises(DossierError) as caught:
            build(app, session, org, round_, world["clerk"], date(2025, 8, 1))
        assert "Trần Thị Bình" in caught.value.message and "01/7/2025" in caught.value.message
        session.rollback()


def test_a_province_that_delegates_ldtt_puts_it_in_the_heads_decision(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org, round_ = make_org(session, COMMUNE_THCS, "ND152_2025", head_confers=["LDTT"])
        submission = nominate(session, org, round_, world["clerk"], "Trần Thị Bình", "LDTT")
        result = build(app, session, org, round_, world["clerk"], date(2026, 6, 2))
        named = parts_naming(session, result.dossier.id, submission.id)
        assert set(named) == {"bien_ban", "quyet_dinh:HEAD"}
        assert "danh hiệu “Lao động tiên tiến”" in named["quyet_dinh:HEAD"].body_fields["dieu_1"]
        session.rollback()


def test_an_approval_below_the_threshold_is_never_printed_as_reaching_it(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org, round_ = make_org(session, COMMUNE_THCS, "ND152_2025")
        nominate(session, org, round_, world["clerk"], "Lê Văn Cường", "CSTDCS", votes=9)
        below = nominate(
            session, org, round_, world["clerk"], "Trần Thị Bình", "CSTDCS", votes=6,
            vote_override="Hội đồng đề nghị xét lại do một thành viên vắng có ý kiến muộn",
        )  # fmt: skip
        result = build(app, session, org, round_, world["clerk"], date(2026, 6, 2))
        minutes = parts_naming(session, result.dossier.id, below.id)["bien_ban"]
        rows = {r["ho_ten"]: r["ket_qua"] for r in minutes.body_fields["ung_vien"]}
        assert rows == {"Lê Văn Cường": "Đạt", "Trần Thị Bình": "Chưa đạt, vẫn đề nghị"}
        assert "“Chiến sĩ thi đua cơ sở”: 01 cá nhân" in minutes.body_fields["noi_dung"]
        proposal = parts_naming(session, result.dossier.id, below.id)["to_trinh:CT_UBND_XA"]
        text = proposal.body_fields["noi_dung"]
        assert "01 cá nhân dưới đây đạt tỷ lệ phiếu đồng ý theo quy định" in text
        assert "Riêng Trần Thị Bình" in text and "6/9" in text and "66,67%" in text
        assert "đơn vị vẫn đề nghị vì: Hội đồng đề nghị xét lại" in text
        assert "02 cá nhân" not in text
        annex = parts_naming(session, result.dossier.id, below.id)["danh_sach:CT_UBND_XA"]
        notes = {r["ho_ten"]: r["ghi_chu"] for r in annex.body_fields["nguoi_de_nghi"]}
        assert notes["Trần Thị Bình"].startswith("Chưa đạt tỷ lệ phiếu (6/9")
        session.rollback()


def test_an_approval_below_the_threshold_without_a_reason_stops_the_dossier(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org, round_ = make_org(session, COMMUNE_THCS, "ND152_2025")
        nominate(session, org, round_, world["clerk"], "Trần Thị Bình", "CSTDCS", votes=6)
        with pytest.raises(DossierError) as caught:
            build(app, session, org, round_, world["clerk"], date(2026, 6, 2))
        assert "Trần Thị Bình" in caught.value.message and "6/9" in caught.value.message
        session.rollback()


def test_rejected_candidates_appear_in_the_minutes_only(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org, round_ = make_org(session, COMMUNE_THCS, "ND152_2025")
        nominate(session, org, round_, world["clerk"], "Lê Văn Cường", "LDTT")
        rejected = nominate(
            session, org, round_, world["clerk"], "Trần Thị Bình", "CSTDCS", votes=5,
            status=SubmissionStatus.REJECTED.value,
        )  # fmt: skip
        result = build(app, session, org, round_, world["clerk"], date(2026, 6, 2))
        assert set(parts_naming(session, result.dossier.id, rejected.id)) == {"bien_ban"}
        minutes = parts_naming(session, result.dossier.id, rejected.id)["bien_ban"]
        assert "Hội đồng không đề nghị" in minutes.body_fields["noi_dung"]
        session.rollback()


def test_initiatives_get_their_own_decision_and_exemplary_people_their_own_list(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org, round_ = make_org(session, COMMUNE_THCS, "ND152_2025")
        initiative = nominate(
            session, org, round_, world["clerk"], "Trần Thị Bình", "", votes=None,
            kind=SubmissionKind.INITIATIVE.value,
            data={"title": "Dạy hình học bằng GeoGebra", "field": "Toán",
                  "authors": ["Trần Thị Bình", "Lê Văn Cường"]},
        )  # fmt: skip
        exemplary = nominate(
            session, org, round_, world["clerk"], "Phạm Thị Dung", "", votes=None,
            kind=SubmissionKind.EXEMPLARY.value,
            data={"field": "Dạy học", "achievements": "Giáo viên dạy giỏi cấp tỉnh"},
        )  # fmt: skip
        result = build(app, session, org, round_, world["clerk"], date(2026, 6, 2))
        decision = parts_naming(session, result.dossier.id, initiative.id)["quyet_dinh:SANG_KIEN"]
        assert decision.header_fields["legal_basis_kind"] == "QD_SANG_KIEN"
        assert "Công nhận 01 sáng kiến cấp cơ sở" in decision.body_fields["dieu_1"]
        [row] = decision.body_fields["danh_sach"]
        assert row["ho_ten"] == "Trần Thị Bình, Lê Văn Cường"
        assert row["hinh_thuc"] == "Sáng kiến “Dạy hình học bằng GeoGebra”"
        listed = parts_naming(session, result.dossier.id, exemplary.id)["danh_sach:DIEN_HINH"]
        assert listed.body_fields["nguoi_de_nghi"][0]["thanh_tich"] == "Giáo viên dạy giỏi cấp tỉnh"
        session.rollback()


def test_birth_year_and_gender_come_from_the_staff_directory(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org, round_ = make_org(session, COMMUNE_THCS, "ND152_2025")
        session.add(
            Person(
                organization_id=org.id, full_name="Trần Thị Bình", unit="Tổ Toán - Tin",
                search_key=fold("Trần Thị Bình"), unit_key=fold("Tổ Toán - Tin"),
                birth_date=date(1985, 3, 12), gender="Nữ",
            )
        )  # fmt: skip
        submission = nominate(session, org, round_, world["clerk"], "Trần Thị Bình", "LDTT")
        result = build(app, session, org, round_, world["clerk"], date(2026, 6, 2))
        annex = parts_naming(session, result.dossier.id, submission.id)["danh_sach:CT_UBND_XA"]
        [row] = annex.body_fields["nguoi_de_nghi"]
        assert (row["nam_sinh"], row["gioi_tinh"]) == (1985, "Nữ")
        session.rollback()
