"""Forms of the incoming-plan pages: upload, review of the extracted fields, deadlines."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms import DateField
from wtforms import FieldList
from wtforms import FormField
from wtforms import HiddenField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import ValidationError

from domain.doc_types import DOC_TYPES
from forms.base import Form
from forms.base import SubForm
from forms.base import options
from forms.dates import DayFirstDateField
from forms.fields import TEXT_FILTERS
from forms.fields import length
from forms.fields import optional
from services.plans.fields import RECURRENCES

# Legal instruments cited as references besides the NĐ 30 document types.
REFERENCE_TYPES = {"NĐ": "Nghị định", "TT": "Thông tư", "L": "Luật", "CT": "Chỉ thị"}
EXTRA_DEADLINE_ROWS = 3
EXTRA_REFERENCE_ROWS = 1


class UploadForm(Form):
    file = FileField(
        "Tệp văn bản (PDF, bản quét PDF, Word .docx/.doc, .txt)",
        description="Hệ thống kiểm tra nội dung tệp, không dựa vào đuôi tên tệp.",
    )
    text = TextAreaField(
        "…hoặc dán nội dung văn bản",
        filters=TEXT_FILTERS,
        validators=[optional(), length(500_000)],
        description="Dán toàn bộ văn bản, từ phần tiêu đề đến nơi nhận.",
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.file.data and not self.text.data:
            self.file.errors = [*self.file.errors, "Hãy chọn một tệp hoặc dán nội dung văn bản."]
            return False
        return ok


class ReferenceForm(SubForm):
    doc_type = StringField("Loại", filters=TEXT_FILTERS, validators=[optional(), length(8)])
    number = StringField("Số, ký hiệu", filters=TEXT_FILTERS, validators=[optional(), length(80)])
    date = DayFirstDateField("Ngày", validators=[optional()])
    source_page = HiddenField()
    source_line = HiddenField()


class DeadlineForm(SubForm):
    date = DayFirstDateField("Ngày", validators=[optional()])
    end = DayFirstDateField("Đến ngày", validators=[optional()])
    recurrence = SelectField("Lặp lại", choices=options(RECURRENCES.items()), default="")
    what = StringField("Việc cần làm", filters=TEXT_FILTERS, validators=[length(500)])
    remove = BooleanField("Bỏ")
    source_page = HiddenField()
    source_line = HiddenField()
    # A monthly item's written day (31, 30; -1 "cuối tháng"), kept through the review.
    month_day = HiddenField()

    def validate_end(self, field: DateField) -> None:
        if field.data and self.date.data and field.data < self.date.data:
            raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
        if field.data and not self.date.data:
            raise ValidationError("Nhập ngày bắt đầu.")

    def validate_what(self, field: StringField) -> None:
        if self.date.data and not field.data and not self.remove.data:
            raise ValidationError("Nhập việc cần làm.")


class ReviewForm(Form):
    doc_type = SelectField("Loại văn bản", default="")
    number = StringField("Số", filters=TEXT_FILTERS, validators=[optional(), length(20)])
    symbol = StringField("Ký hiệu", filters=TEXT_FILTERS, validators=[optional(), length(60)])
    issuer = StringField("Cơ quan ban hành", filters=TEXT_FILTERS, validators=[length(300)])
    parent_issuer = StringField("Cơ quan chủ quản", filters=TEXT_FILTERS, validators=[length(300)])
    place = StringField("Địa danh", filters=TEXT_FILTERS, validators=[length(100)])
    issued_date = DayFirstDateField("Ngày ban hành", validators=[optional()])
    title = TextAreaField("Trích yếu", filters=TEXT_FILTERS, validators=[length(1000)])
    period = StringField(
        "Giai đoạn / năm học", filters=TEXT_FILTERS, validators=[optional(), length(40)]
    )
    references = FieldList(FormField(ReferenceForm), label="Văn bản được dẫn chiếu")
    themes = TextAreaField(
        "Phong trào, cuộc vận động, chủ đề",
        filters=TEXT_FILTERS,
        validators=[length(5000)],
        description="Mỗi dòng một tên, không có dấu ngoặc kép.",
    )
    deadlines = FieldList(FormField(DeadlineForm), label="Thời hạn")
    recipients = TextAreaField(
        "Nơi nhận", filters=TEXT_FILTERS, validators=[length(5000)], description="Mỗi dòng một mục."
    )
    signer_title = StringField("Chức vụ người ký", filters=TEXT_FILTERS, validators=[length(200)])
    signer_name = StringField("Người ký", filters=TEXT_FILTERS, validators=[length(200)])
    confirm = BooleanField("Xác nhận")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = [(code, f"{code} — {t.label}") for code, t in DOC_TYPES.items()]
        types += [(code, f"{code} — {label}") for code, label in REFERENCE_TYPES.items()]
        self.doc_type.choices = options([("", "(chưa rõ)"), *types])


def review_data(fields: dict[str, Any]) -> dict[str, Any]:
    """Form data (``ReviewForm(data=...)``) from the confirmed fields, with blank rows."""
    from datetime import date

    def day(value: Any) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    def source(item: dict[str, Any]) -> dict[str, Any]:
        src = item.get("source") or {}
        return {"source_page": src.get("page") or "", "source_line": src.get("line") or ""}

    data = {name: fields.get(name) or "" for name in (
        "doc_type", "number", "symbol", "issuer", "parent_issuer", "place", "title", "period",
        "signer_title", "signer_name",
    )}  # fmt: skip
    data["issued_date"] = day(fields.get("issued_date"))
    data["themes"] = "\n".join(fields.get("themes") or [])
    data["recipients"] = "\n".join(fields.get("recipients") or [])
    data["references"] = [
        {"doc_type": r.get("doc_type") or "", "number": r.get("number") or "",
         "date": day(r.get("date")), **source(r)}
        for r in fields.get("references") or []
    ] + [{}] * EXTRA_REFERENCE_ROWS  # fmt: skip
    data["deadlines"] = [
        {"date": day(d.get("date")), "end": day(d.get("end")),
         "recurrence": d.get("recurrence") or "", "what": d.get("what") or "",
         "month_day": d.get("month_day") if d.get("month_day") is not None else "", **source(d)}
        for d in fields.get("deadlines") or []
    ] + [{}] * EXTRA_DEADLINE_ROWS  # fmt: skip
    return data


def review_values(form: ReviewForm) -> dict[str, Any]:
    """The confirmed-field values (the parser's shapes: ISO dates, lists) from the form."""

    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    def source(row: Any) -> dict[str, Any]:
        page, line = row.source_page.data, row.source_line.data
        if str(page).isdigit() and str(line).isdigit():
            return {"source": {"page": int(page), "line": int(line)}}
        return {}

    def month_day(row: Any) -> dict[str, Any]:
        value = str(row.month_day.data or "")
        if row.recurrence.data == "monthly" and value.lstrip("-").isdigit():
            return {"month_day": int(value)}
        return {}

    values: dict[str, Any] = {
        name: (form[name].data or None)
        for name in (
            "doc_type", "number", "symbol", "issuer", "parent_issuer", "place", "title",
            "period", "signer_title", "signer_name",
        )
    }  # fmt: skip
    values["title"] = " ".join((form.title.data or "").split()) or None
    values["issued_date"] = iso(form.issued_date.data)
    values["themes"] = _lines(form.themes.data)
    values["recipients"] = _lines(form.recipients.data)
    values["references"] = [
        {"doc_type": row.form.doc_type.data or None, "number": row.form.number.data,
         "date": iso(row.form.date.data), **source(row.form)}
        for row in form.references
        if row.form.number.data
    ]  # fmt: skip
    values["deadlines"] = [
        {"date": iso(row.form.date.data), "end": iso(row.form.end.data),
         "recurrence": row.form.recurrence.data or None, "what": row.form.what.data,
         **month_day(row.form), **source(row.form)}
        for row in form.deadlines
        if row.form.date.data and not row.form.remove.data
    ]  # fmt: skip
    return values


def _lines(text: str | None) -> list[str]:
    return [line.strip(" -–;.").strip() for line in (text or "").splitlines() if line.strip()]


class AssignForm(Form):
    assignee = SelectField("Người phụ trách", default="")


class DoneForm(Form):
    done = HiddenField(default="1")
    # The occurrence of a recurring deadline (YYYY-MM-DD); absent: the item or whole series.
    day = DateField(validators=[optional()])
