"""Forms of the incoming register (sổ văn bản đến): a line, handing out, status, removal."""

from __future__ import annotations

from datetime import date

from wtforms import BooleanField
from wtforms import HiddenField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

from forms.base import Form
from forms.base import options
from forms.dates import DayFirstDateField
from forms.fields import TEXT_FILTERS
from forms.fields import length
from forms.fields import optional
from forms.fields import required
from services.incoming.entries import CHANNELS
from services.incoming.entries import EntryData
from storage.models import ENTRY_STATUS_LABELS


class EntryForm(Form):
    """The Phụ lục IV columns of one line, pre-filled from the parser when there is a file."""

    received_date = DayFirstDateField("Ngày đến", validators=[required()])
    issuer = StringField(
        "Tác giả (cơ quan ban hành)", filters=TEXT_FILTERS, validators=[optional(), length(255)]
    )
    reference = StringField(
        "Số, ký hiệu",
        filters=TEXT_FILTERS,
        validators=[optional(), length(120)],
        description="Ví dụ: 1611/KH-BGDĐT",
    )
    doc_date = DayFirstDateField("Ngày tháng của văn bản", validators=[optional()])
    doc_type = StringField("Tên loại", filters=TEXT_FILTERS, validators=[optional(), length(120)])
    summary = TextAreaField(
        "Trích yếu nội dung", filters=TEXT_FILTERS, validators=[optional(), length(5000)]
    )
    recipient = StringField(
        "Đơn vị hoặc người nhận", filters=TEXT_FILTERS, validators=[optional(), length(255)]
    )
    deadline = DayFirstDateField("Hạn giải quyết", validators=[optional()])
    note = TextAreaField("Ghi chú", filters=TEXT_FILTERS, validators=[optional(), length(2000)])
    channel = SelectField("Nhận qua", choices=options(CHANNELS.items()), default="paper")
    text = TextAreaField(
        "Nội dung văn bản (nếu có)",
        filters=TEXT_FILTERS,
        validators=[optional(), length(500_000)],
        description="Dán nội dung để tìm bản trùng; không bắt buộc với văn bản giấy.",
    )
    plan_id = HiddenField()
    not_duplicate = BooleanField("Không phải bản trùng, vẫn vào sổ với số đến mới")

    def validate(self, extra_validators: object = None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not (self.summary.data or self.reference.data or self.issuer.data):
            self.summary.errors = [
                *self.summary.errors,
                "Hãy nhập ít nhất tác giả, số ký hiệu hoặc trích yếu của văn bản.",
            ]
            return False
        return ok

    def fill(self, data: EntryData) -> None:
        """Pre-fill from a suggestion (only on a GET: what the clerk typed wins)."""
        for name in ("received_date", "issuer", "reference", "doc_date", "doc_type", "summary",
                     "recipient", "deadline", "note", "channel"):  # fmt: skip
            getattr(self, name).data = getattr(data, name)
        self.plan_id.data = str(data.plan_id or "")

    def entry_data(self, base: EntryData | None = None) -> EntryData:
        """The confirmed data; the source (file, parsed text) comes from ``base``."""
        received: date = self.received_date.data  # type: ignore[assignment]  # required field
        data = base or EntryData(received_date=received, text=self.text.data or "")
        data.received_date = received
        data.issuer = self.issuer.data or ""
        data.reference = self.reference.data or ""
        data.doc_date = self.doc_date.data
        data.doc_type = self.doc_type.data or ""
        data.summary = self.summary.data or ""
        data.recipient = self.recipient.data or ""
        data.deadline = self.deadline.data
        data.note = self.note.data or ""
        if base is None:
            data.channel = self.channel.data or "paper"
        return data


class AssignForm(Form):
    handlers = SelectMultipleField(
        "Người xử lý",
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    deadline = DayFirstDateField("Hạn giải quyết", validators=[optional()])


class StatusForm(Form):
    status = SelectField(
        "Tình trạng", choices=options((str(k), v) for k, v in ENTRY_STATUS_LABELS.items())
    )


class RemoveForm(Form):
    reason = TextAreaField(
        "Lý do xóa (vào sổ nhầm)",
        filters=TEXT_FILTERS,
        validators=[required("Vui lòng nhập lý do xóa."), length(2000)],
    )


class MergeForm(Form):
    into = HiddenField(validators=[required()])
