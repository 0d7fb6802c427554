"""Names written inside sentences and file names of certificates."""

from __future__ import annotations

import datetime
import json

from services.dossier import DossierInput
from services.dossier import build_dossier
from services.dossier import certificate_file_name
from services.dossier import default_input
from services.placement import apply_placement
from storage.models import Document
from tests.dossier.test_dossier_authority import make_org
from tests.dossier.test_dossier_authority import nominate

SIGNED = datetime.date(2025, 6, 2)


def test_one_dossier_writes_each_organization_one_way(app, world):
    """The superior typed with every word capitalised and the school in capitals are written
    the same way in every document of the dossier (Phụ lục II), never two ways."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        org, round_ = make_org(session, {"org_kind": "truong_thcs"}, "ND98_2023")
        apply_placement(
            org, org_kind="truong_thcs", province="tỉnh Đồng Tháp", superior_kind="phong_gddt",
            superior_name="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN CAO LÃNH", superior_decider="",
            superior_address="",
        )  # fmt: skip
        for name, code in (("Trần Thị Bình", "LDTT"), ("Lê Văn Cường", "GIAY_KHEN")):
            nominate(session, org, round_, world["clerk"], name, code)
        values = default_input(session, org, round_, SIGNED)
        values["kinh_gui"] = str(values["kinh_gui"]).splitlines()
        values["recipients"] = str(values["recipients"]).splitlines()
        values["chair"], values["secretary"] = "Nguyễn Văn Giàu", "Võ Thị Em"
        result = build_dossier(
            session, app, org=org, round_=round_, user_id=world["clerk"],
            data=DossierInput(**values),
        )  # fmt: skip
        text = "\n".join(
            json.dumps([d.header_fields, d.body_fields], ensure_ascii=False)
            for d in session.query(Document).filter_by(dossier_id=result.dossier.id)
        )
    assert "Phòng Giáo dục và Đào tạo huyện Cao Lãnh" in text
    assert "Trường THCS Mỹ Thạnh" in text
    for other in ("PHÒNG GIÁO DỤC", "Phòng Giáo Dục", "Giáo Dục và Đào Tạo", "TRƯỜNG THCS"):
        assert other not in text
    assert "Chủ tịch Ủy ban nhân dân huyện Cao Lãnh" in text  # derived from the name


def test_certificate_file_names_keep_vietnamese_and_stay_unique():
    used: set[str] = set()
    assert certificate_file_name("Nguyễn Thị Ánh", used) == "Giấy khen - Nguyễn Thị Ánh.docx"
    assert certificate_file_name("Nguyễn Thị Ánh", used) == "Giấy khen - Nguyễn Thị Ánh (2).docx"
    assert certificate_file_name("Tổ Toán/Tin", used) == "Giấy khen - Tổ Toán Tin.docx"
