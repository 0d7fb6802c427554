"""Reviewing what was read: corrections kept apart, confirmation, deadlines in the calendar."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Deadline
from tests.plans.conftest import PLAN_TEXT
from tests.plans.conftest import incoming_id_of
from tests.plans.conftest import load
from tests.plans.conftest import paste
from tests.plans.conftest import work


def form_data(fields: dict, **changes) -> dict:
    """POST data of the review form holding ``fields`` (the parser's shapes) + ``changes``."""
    fields = {**fields, **changes}
    data = {
        name: fields.get(name) or ""
        for name in (
            "doc_type", "number", "symbol", "issuer", "parent_issuer", "place", "issued_date",
            "title", "period", "signer_title", "signer_name",
        )
    }  # fmt: skip
    data["themes"] = "\n".join(fields.get("themes") or [])
    data["recipients"] = "\n".join(fields.get("recipients") or [])
    for index, ref in enumerate(fields.get("references") or []):
        for key in ("doc_type", "number", "date"):
            data[f"references-{index}-{key}"] = ref.get(key) or ""
    for index, item in enumerate(fields.get("deadlines") or []):
        for key in ("date", "end", "recurrence", "what"):
            data[f"deadlines-{index}-{key}"] = item.get(key) or ""
        source = item.get("source") or {}
        data[f"deadlines-{index}-source_page"] = source.get("page") or ""
        data[f"deadlines-{index}-source_line"] = source.get("line") or ""
        if item.get("remove"):
            data[f"deadlines-{index}-remove"] = "y"
    return data


def deadlines(app, incoming_id):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        rows = list(
            session.scalars(
                select(Deadline).where(Deadline.incoming_id == incoming_id).order_by(Deadline.id)
            )
        )
        for row in rows:
            session.expunge(row)
        return rows


def test_review_page_shows_each_field_with_its_source_line(app, clerk, parsed_text):
    page = clerk.get(f"/van-ban-den/{parsed_text}").get_data(as_text=True)
    # Symbol read from page 1 line 3: a link to that line, which is anchored in the text.
    assert 'href="#l-1-3" data-line="l-1-3"' in page
    assert '<p class="text-line zone-header" id="l-1-3">' in page
    assert "Tổ chức phong trào thi đua năm học 2024-2025" in page
    # Dates are shown day first (forms.dates.DayFirstDateField), whatever the browser's language.
    assert 'value="30/09/2024"' in page and 'value="25/10/2024"' in page
    assert "plans.js" in page and "<script>" not in page


def test_correction_is_stored_apart_and_confirming_fills_the_calendar(app, clerk, parsed_text):
    extracted = load(app, parsed_text).extracted
    data = form_data(extracted, title="Tổ chức phong trào thi đua năm học 2024 - 2025 (sửa)")
    data["confirm"] = "y"
    response = clerk.post(f"/van-ban-den/{parsed_text}/ra-soat", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    incoming = load(app, parsed_text)
    assert incoming.status == "confirmed" and incoming.confirmed_at is not None
    assert incoming.corrections == {"title": "Tổ chức phong trào thi đua năm học 2024 - 2025 (sửa)"}
    assert incoming.extracted["title"] == "Tổ chức phong trào thi đua năm học 2024-2025"
    rows = deadlines(app, parsed_text)
    assert [(str(r.due_date), str(r.end_date), r.recurrence) for r in rows] == [
        ("2024-09-30", "None", ""),
        ("2024-10-15", "2024-10-25", ""),
        ("2025-01-10", "None", "yearly"),
    ]
    assert (rows[0].source_page, rows[0].source_line) == (1, 14)
    page = clerk.get(f"/van-ban-den/{parsed_text}").get_data(as_text=True)
    assert "đã sửa" in page and "Lưu và cập nhật lịch hạn" in page


def test_saving_a_draft_does_not_confirm(app, clerk, parsed_text):
    extracted = load(app, parsed_text).extracted
    clerk.post(
        f"/van-ban-den/{parsed_text}/ra-soat", data=form_data(extracted, place="Bến Cát mới")
    )
    incoming = load(app, parsed_text)
    assert incoming.status == "parsed"
    assert incoming.corrections == {"place": "Bến Cát mới"}
    assert deadlines(app, parsed_text) == []


def test_reconfirm_keeps_done_and_assigned_items_and_replaces_the_others(
    app, clerk, parsed_text, world
):
    extracted = load(app, parsed_text).extracted
    clerk.post(f"/van-ban-den/{parsed_text}/ra-soat", data=form_data(extracted) | {"confirm": "y"})
    first, ranged, yearly = deadlines(app, parsed_text)
    clerk.post(f"/lich-han/{first.id}/xong", data={"done": "1"})
    clerk.post(f"/lich-han/{yearly.id}/giao", data={f"d{yearly.id}-assignee": str(world["staff"])})

    items = [dict(item) for item in extracted["deadlines"]]
    items[1]["remove"] = True  # the ranged item was read wrongly
    items[2]["what"] = "Gửi báo cáo sơ kết học kỳ I"  # reworded, same date
    items.append({"date": "2025-05-20", "what": "Gửi báo cáo tổng kết"})
    data = form_data(extracted, deadlines=items) | {"confirm": "y"}
    response = clerk.post(f"/van-ban-den/{parsed_text}/ra-soat", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)

    rows = {r.id: r for r in deadlines(app, parsed_text)}
    assert rows[first.id].done is True
    assert rows[yearly.id].assignee_id == world["staff"]
    assert rows[yearly.id].what == "Gửi báo cáo sơ kết học kỳ I"
    assert ranged.id not in rows
    assert sorted(str(r.due_date) for r in rows.values()) == [
        "2024-09-30",
        "2025-01-10",
        "2025-05-20",
    ]
    assert "deadlines" in load(app, parsed_text).corrections


def test_invalid_rows_are_refused_with_messages_and_nothing_is_saved(app, clerk, parsed_text):
    extracted = load(app, parsed_text).extracted
    items = [dict(item) for item in extracted["deadlines"]]
    items[1]["end"] = "2024-10-01"  # before its start
    items.append({"date": "2025-02-01", "what": ""})
    data = form_data(extracted, deadlines=items) | {"confirm": "y", "issued_date": "31/02/2024"}
    response = clerk.post(f"/van-ban-den/{parsed_text}/ra-soat", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Ngày kết thúc phải sau ngày bắt đầu." in html
    assert "Nhập việc cần làm." in html
    assert "Không có ngày 31/02/2024 trong lịch." in html
    incoming = load(app, parsed_text)
    assert incoming.status == "parsed" and incoming.corrections == {}


def test_a_document_still_being_read_cannot_be_reviewed(app, clerk):
    from tests.plans.conftest import incoming_id_of
    from tests.plans.conftest import paste

    incoming_id = incoming_id_of(paste(clerk))
    response = clerk.post(f"/van-ban-den/{incoming_id}/ra-soat", data={"confirm": "y"})
    assert response.status_code == 302
    assert load(app, incoming_id).status == "queued"


SECOND_DOCUMENT = (
    "\n\nUBND XÃ MỸ THẠNH          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Số: 22/TB-UBND          Độc lập - Tự do - Hạnh phúc\n"
    "Mỹ Thạnh, ngày 02 tháng 10 năm 2025\n\n"
    "THÔNG BÁO\nLịch tiếp công dân\n\n"
    "Nơi nhận:\n- Các ấp;\n- Lưu: VT.\nCHỦ TỊCH\nTrần Văn Hai\n"
)


def test_a_second_document_in_the_file_is_shown_to_the_clerk_with_its_line(app, clerk):
    incoming_id = incoming_id_of(paste(clerk, PLAN_TEXT + SECOND_DOCUMENT))
    work(app)
    extracted = load(app, incoming_id).extracted
    assert extracted["warnings"], "the parser no longer reports the second document"
    second = extracted["second_document"]
    page = clerk.get(f"/van-ban-den/{incoming_id}").get_data(as_text=True)
    assert 'role="alert">Tệp có thêm một văn bản khác' in page
    assert f'href="#l-{second["page"]}-{second["line"]}"' in page
