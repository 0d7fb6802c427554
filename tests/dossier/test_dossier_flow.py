"""One step from a round's council results to the dossier, split by who decides each title:
the head's own Quyết định and Giấy khen, a Tờ trình + Danh sách per other decision maker, the
council's Biên bản; rendered by the real worker (docxtpl + LibreOffice) and checked by the
NĐ 30 checker."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date

import docx
from docx.oxml.ns import qn
from sqlalchemy import func
from sqlalchemy import select

from domain.check import check_docx
from domain.check import profile_of
from storage.models import Document
from storage.models import Job
from storage.models import StoredFile
from storage.models import Submission
from tests.dossier.conftest import DOSSIER_FORM
from tests.dossier.conftest import add_submission
from tests.dossier.conftest import zip_names
from tests.support import drain_queue as drain

PROVINCIAL = ("Võ Thị Em", "Giáo viên", "Tổ Anh", "individual", "BK_UBND_TINH", 9)
UP_TO_COMMUNE = ["Trần Văn Đức", "Lê Thị Hồng", "Nguyễn Thị Ánh", "Tổ Toán - Tin"]


def _paragraphs(content: bytes) -> list[str]:
    body = docx.Document(io.BytesIO(content)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def _table_rows(content: bytes, heading: str) -> list[list[str]]:
    """The rows of the first table whose cells include ``heading``."""
    for table in docx.Document(io.BytesIO(content)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if any(heading in row for row in rows):
            return rows
    raise AssertionError(f"no table with {heading!r}")


def _text(content: bytes) -> str:
    return "\n".join(_paragraphs(content))


def _documents(app, dossier_id):
    """Part key → what the worker made of it."""
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        documents = session.scalars(
            select(Document).where(Document.dossier_id == dossier_id).order_by(Document.id)
        ).all()
        return {
            d.dossier_part: {
                "kind": d.kind,
                "round_id": d.round_id,
                "status": d.render_status,
                "error": d.render_error,
                "docx": session.get(StoredFile, d.docx_file_id).content if d.docx_file_id else None,
                "pdf": bool(d.pdf_file_id),
                "id": d.id,
                "header": dict(d.header_fields),
            }
            for d in documents
        }


def _certificate_jobs(app):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        jobs = session.scalars(
            select(Job)
            .where(Job.function == "worker.jobs.render_certificates")
            .order_by(Job.created_at)
        ).all()
        return [
            {"status": j.status, "error": j.error, "message": j.message, "result": dict(j.result)}
            for j in jobs
        ]


def _post(client, world, **changes):
    return client.post(f"/dot/{world['round']}/ho-so-khen-thuong", data=DOSSIER_FORM | changes)


def _count(app, model):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_dossier_splits_by_who_decides_and_every_part_is_print_ready(
    app, client, auth, world, approved
):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        add_submission(session, world, *PROVINCIAL)
    auth.login("clerk")
    # The secretary's name arrives decomposed (NFD), as some keyboards send it.
    response = _post(client, world, secretary=unicodedata.normalize("NFD", "Võ Thị Em"))
    assert response.status_code == 302, response.get_data(as_text=True)
    dossier_id = response.headers["Location"].rsplit("/", 1)[-1]

    waiting = client.get(f"/ho-so-khen-thuong/{dossier_id}").get_data(as_text=True)
    assert "Đang chờ soạn" in waiting and "data-poll-job" in waiting

    drain(app)
    documents = _documents(app, dossier_id)
    assert set(documents) == {
        "bien_ban", "quyet_dinh:HEAD", "to_trinh:CT_UBND_XA", "danh_sach:CT_UBND_XA",
        "to_trinh:CT_UBND_TINH", "danh_sach:CT_UBND_TINH",
    }  # fmt: skip
    for part, d in documents.items():
        assert (d["status"], d["error"]) == ("done", ""), part
        assert d["round_id"] == world["round"] and d["pdf"], part
        assert check_docx(d["docx"]) == [], part

    # The principal's own decision confers only the school's Giấy khen.
    decision = _text(documents["quyet_dinh:HEAD"]["docx"])
    assert "Tặng Giấy khen cho 01 cá nhân năm học 2025-2026" in decision
    assert "Phạm Quốc Bảo" in decision
    assert not any(name in decision for name in [*UP_TO_COMMUNE, "Võ Thị Em"])
    assert "Bằng khen" not in decision and "Lao động tiên tiến" not in decision
    assert "HIỆU TRƯỞNG TRƯỜNG THCS MỸ THẠNH" in decision

    # LĐTT, CSTĐCS and TTLĐTT go to the commune chairman, who decides them since 01/7/2025.
    commune = _text(documents["to_trinh:CT_UBND_XA"]["docx"])
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh" in commune
    assert "kính trình Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh xem xét" in commune
    assert "Giấy khen" not in commune and "Bằng khen" not in commune
    assert "03 cá nhân và 01 tập thể" not in commune  # counted from facts, worded below
    assert "01 tập thể và 03 cá nhân dưới đây đạt tỷ lệ phiếu đồng ý theo quy định" in commune
    assert ["1", "Lao động tiên tiến", "", "2", ""] in _table_rows(
        documents["to_trinh:CT_UBND_XA"]["docx"], "Cá nhân"
    )
    rows = _table_rows(documents["danh_sach:CT_UBND_XA"]["docx"], "Họ và tên")
    named = [r for r in rows if any(name in r for name in UP_TO_COMMUNE)]
    assert [next(n for n in UP_TO_COMMUNE if n in r) for r in named] == UP_TO_COMMUNE
    assert "Tờ trình số …/TTr-THCSMT" in _text(documents["danh_sach:CT_UBND_XA"]["docx"])

    # The provincial Bằng khen goes through the commune, to be put to the provincial chairman.
    province = _text(documents["to_trinh:CT_UBND_TINH"]["docx"])
    assert (
        "kính đề nghị Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh xem xét, trình Chủ tịch Ủy ban nhân "
        "dân tỉnh Đồng Tháp tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in province
    )
    assert "Võ Thị Em" in _text(documents["danh_sach:CT_UBND_TINH"]["docx"])
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân xã Mỹ Thạnh" in province

    # Biên bản: votes on the total membership, the result of each; chair and secretary sign.
    minutes = _text(documents["bien_ban"]["docx"])
    assert "8/9" in minutes and "88,89%" in minutes and "7/9" in minutes and "100%" in minutes
    assert "9/9 thành viên Hội đồng (100%)" in minutes
    assert "Võ Thị Em" in minutes and "Nguyễn Văn Giàu" in minutes
    assert "ngày 28 tháng 5 năm 2026" in minutes
    assert "Không đạt" not in minutes

    # Giấy khen: only the school's own, one job, a .zip and a merged .docx and .pdf.
    [job] = _certificate_jobs(app)
    assert job["status"] == "done" and job["message"] == "Đã in 1/1 giấy khen"
    page = client.get(f"/ho-so-khen-thuong/{dossier_id}").get_data(as_text=True)
    assert "giay-khen.zip" in page and "Dự thảo" in page
    assert "Tờ trình đề nghị Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp quyết định" in page
    archive = client.get(f"/ho-so-khen-thuong/{dossier_id}/giay-khen.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    assert (
        "filename*=UTF-8''Gi%E1%BA%A5y%20khen%20n%C4%83m%20h%E1%BB%8Dc"
        in archive.headers["Content-Disposition"]
    )
    assert zip_names(archive.data) == [
        "Giấy khen - Phạm Quốc Bảo.docx",
        "Giấy khen - Phạm Quốc Bảo.pdf",
    ]
    with zipfile.ZipFile(io.BytesIO(archive.data)) as opened:
        certificate = opened.read("Giấy khen - Phạm Quốc Bảo.docx")
    assert profile_of(certificate) == "certificate" and check_docx(certificate) == []
    assert "Quyết định số …/QĐ-THCSMT, ngày 02/06/2026" in _text(certificate)
    merged = client.get(f"/ho-so-khen-thuong/{dossier_id}/giay-khen.docx")
    assert merged.status_code == 200 and check_docx(merged.data) == []
    printable = client.get(f"/ho-so-khen-thuong/{dossier_id}/giay-khen.pdf")
    assert printable.status_code == 200 and printable.data.startswith(b"%PDF")

    download = client.get(
        f"/ho-so-khen-thuong/{dossier_id}/van-ban/{documents['bien_ban']['id']}.docx"
    )
    assert download.status_code == 200
    assert "Bi%C3%AAn%20b%E1%BA%A3n" in download.headers["Content-Disposition"]


def test_issuing_the_proposal_gives_its_list_the_number(app, client, auth, world, approved):
    auth.login("clerk")
    dossier_id = _post(client, world).headers["Location"].rsplit("/", 1)[-1]
    drain(app)
    proposal = _documents(app, dossier_id)["to_trinh:CT_UBND_XA"]["id"]
    response = client.post(f"/van-ban/{proposal}/phat-hanh", data={"issued_on": "2026-06-02"})
    assert response.status_code == 302
    drain(app)
    documents = _documents(app, dossier_id)
    annex = _text(documents["danh_sach:CT_UBND_XA"]["docx"])
    assert "Kèm theo Tờ trình số 01/TTr-THCSMT ngày 02/06/2026" in annex
    page = client.get(f"/ho-so-khen-thuong/{dossier_id}").get_data(as_text=True)
    assert "Đã phát hành số 01/TTr-THCSMT" in page


def test_making_the_dossier_again_updates_its_own_drafts(app, client, auth, world, approved):
    auth.login("clerk")
    first = _post(client, world).headers["Location"].rsplit("/", 1)[-1]
    drain(app)
    before = {part: d["id"] for part, d in _documents(app, first).items()}
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        add_submission(session, world, *PROVINCIAL)
    second = _post(client, world, place="Thư viện nhà trường").headers["Location"]
    assert second.rsplit("/", 1)[-1] == first  # one dossier per round
    drain(app)
    after = _documents(app, first)
    assert {p: after[p]["id"] for p in before} == before  # same rows, no duplicates
    assert "to_trinh:CT_UBND_TINH" in after and len(after) == len(before) + 2
    assert "Thư viện nhà trường" in _text(after["bien_ban"]["docx"])
    assert _count(app, Document) == len(after)


def test_reprint_after_the_decision_is_issued_prints_its_number(app, client, auth, world, approved):
    auth.login("clerk")
    dossier_id = _post(client, world).headers["Location"].rsplit("/", 1)[-1]
    drain(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        decision = session.scalar(
            select(Document).where(
                Document.dossier_id == dossier_id, Document.dossier_part == "quyet_dinh:HEAD"
            )
        )
        decision.status, decision.year, decision.number = "issued", 2026, 45
        decision.symbol, decision.issued_date = "QĐ-THCSMT", date(2026, 6, 5)
    assert client.post(f"/ho-so-khen-thuong/{dossier_id}/in-lai-giay-khen").status_code == 302
    drain(app)
    first, second = _certificate_jobs(app)
    assert (
        second["status"] == "done"
        and second["result"]["zip_file_id"] != first["result"]["zip_file_id"]
    )
    archive = client.get(f"/ho-so-khen-thuong/{dossier_id}/giay-khen.zip").data
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        text = _text(opened.read("Giấy khen - Phạm Quốc Bảo.docx"))
    assert "Quyết định số 45/QĐ-THCSMT, ngày 05/06/2026" in text


def test_nothing_approved_gives_a_vietnamese_message_and_no_documents(app, client, auth, world):
    auth.login("clerk")
    page = client.get(f"/dot/{world['round']}/ho-so-khen-thuong").get_data(as_text=True)
    assert "chưa có hồ sơ nào được Hội đồng đề nghị / công nhận" in page
    response = _post(client, world)
    assert response.status_code == 400
    assert "chưa có hồ sơ nào được Hội đồng đề nghị / công nhận" in response.get_data(as_text=True)
    assert _count(app, Document) == 0 and _count(app, Job) == 0


def test_a_row_without_a_vote_is_refused_naming_the_person(app, client, auth, world, approved):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        add_submission(
            session, world, "Đỗ Thị Giang", "Giáo viên", "Tổ Anh", "individual", "LDTT", None
        )
    auth.login("clerk")
    response = _post(client, world)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Đỗ Thị Giang: chưa ghi số phiếu đồng ý của Hội đồng" in text
    assert 'value="Phòng họp Trường THCS Mỹ Thạnh"' in text  # what the clerk typed is kept
    assert _count(app, Document) == 0 and _count(app, Job) == 0


def test_more_members_present_than_the_council_has_is_refused(app, client, auth, world, approved):
    auth.login("clerk")
    response = _post(client, world, members_present="12")
    assert response.status_code == 400
    assert "Số thành viên có mặt (12) lớn hơn tổng số thành viên Hội đồng" in response.get_data(
        as_text=True
    )
    assert _count(app, Document) == 0


def test_missing_meeting_data_gets_vietnamese_field_errors(app, client, auth, world, approved):
    auth.login("clerk")
    response = _post(client, world, meeting_date="", secretary="  ")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Vui lòng nhập mục này." in text and "Biểu mẫu còn lỗi" in text
    assert _count(app, Document) == 0


def test_a_certificate_that_cannot_be_printed_fails_the_batch_with_the_name(
    app, client, auth, world, approved
):
    auth.login("clerk")
    dossier_id = _post(client, world).headers["Location"].rsplit("/", 1)[-1]
    # Between the click and the worker, the council's decision on the person is withdrawn.
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        session.get(Submission, approved[3]).status = "rejected"
    drain(app)
    [job] = _certificate_jobs(app)
    assert job["status"] == "failed"
    assert "Hồ sơ của “Phạm Quốc Bảo” không còn ở trạng thái được công nhận" in job["error"]
    assert job["result"] == {}
    # The worker kept going: the drafts were rendered by the same burst.
    assert {d["status"] for d in _documents(app, dossier_id).values()} == {"done"}
    page = client.get(f"/ho-so-khen-thuong/{dossier_id}").get_data(as_text=True)
    assert "Phạm Quốc Bảo" in page and "In lại giấy khen" in page
    assert client.get(f"/ho-so-khen-thuong/{dossier_id}/giay-khen.zip").status_code == 404


def test_a_bad_vote_row_fails_only_the_minutes_with_a_clear_reason(
    app, client, auth, world, approved
):
    auth.login("clerk")
    dossier_id = _post(client, world).headers["Location"].rsplit("/", 1)[-1]
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        minutes = session.scalar(
            select(Document).where(Document.dossier_id == dossier_id, Document.kind == "bien_ban")
        )
        body = dict(minutes.body_fields)
        body["ung_vien"] = [dict(r) for r in body["ung_vien"]]
        body["ung_vien"][0]["dong_y"] = 12  # more votes than members: a typing mistake
        minutes.body_fields = body
    drain(app)
    documents = _documents(app, dossier_id)
    assert documents["bien_ban"]["status"] == "failed"
    assert (
        "Số phiếu đồng ý của “Trần Văn Đức” vượt quá tổng số thành viên Hội đồng"
        in (documents["bien_ban"]["error"])
    )
    assert {d["status"] for p, d in documents.items() if p != "bien_ban"} == {"done"}
    assert _certificate_jobs(app)[0]["status"] == "done"
    page = client.get(f"/ho-so-khen-thuong/{dossier_id}").get_data(as_text=True)
    assert "vượt quá tổng số thành viên Hội đồng" in page


def test_a_result_named_by_an_issued_proposal_is_changed_only_by_redoing_it(
    app, client, auth, world, approved
):
    auth.login("clerk")
    dossier_id = _post(client, world).headers["Location"].rsplit("/", 1)[-1]
    drain(app)
    proposal = _documents(app, dossier_id)["to_trinh:CT_UBND_XA"]["id"]
    client.post(f"/van-ban/{proposal}/phat-hanh", data={"issued_on": "2026-06-02"})
    drain(app)
    hong = approved[2]  # Lê Thị Hồng, LĐTT, in the issued Tờ trình
    change = {
        "decision-votes_for": "4", "decision-council_total": "9", "decision-decision": "rejected",
        "decision-note": "Phát hiện chưa đủ thời gian công tác",
    }  # fmt: skip
    refused = client.post(f"/xet-duyet/{hong}/ket-qua", data=change)
    assert refused.status_code == 400
    assert "01/TTr-THCSMT" in refused.get_data(as_text=True)

    redone = client.post(
        f"/xet-duyet/{hong}/ket-qua",
        data=change | {"decision-redo_reason": "Bà Hồng chưa đủ 10 tháng công tác"},
    )
    assert redone.status_code == 302
    drain(app)
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = session.scalars(
            select(Document)
            .where(
                Document.dossier_id == dossier_id, Document.dossier_part == "to_trinh:CT_UBND_XA"
            )
            .order_by(Document.id)
        ).all()
        old, new = rows
        assert (old.status, old.number) == ("withdrawn", 1)
        assert new.status == "draft" and new.replaces_id == old.id
        replacement = session.get(StoredFile, new.docx_file_id).content
    text = _text(replacement)
    assert "Tờ trình này thay thế Tờ trình số 01/TTr-THCSMT ngày 02/06/2026" in text
    assert "Lê Thị Hồng" not in _text(_documents(app, dossier_id)["danh_sach:CT_UBND_XA"]["docx"])
    admin_page = client.get(f"/ho-so-khen-thuong/{dossier_id}").get_data(as_text=True)
    assert "Đã thu hồi" in admin_page and "thay thế" in admin_page
