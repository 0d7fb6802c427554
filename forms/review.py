"""The clerk's forms: filters, facts for the eligibility rules, the council's result."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import ValidationError

from domain.emulation.facts import DISCIPLINE_LEVELS
from domain.emulation.facts import INITIATIVE_SCOPES
from domain.emulation.facts import RATINGS as RATING_LABELS
from forms.base import Form
from forms.base import options
from forms.fields import TEXT_FILTERS
from forms.fields import length
from forms.fields import number_range
from forms.fields import optional

RATINGS = [("", "— chưa rõ —"), *RATING_LABELS.items()]
DISCIPLINE = [("", "— chưa rõ —"), *DISCIPLINE_LEVELS.items()]
SCOPES = [("", "— chưa rõ —"), *INITIATIVE_SCOPES.items()]


class FactsForm(Form):
    """What the council knows about the nominee, as the eligibility rules need it."""

    rating = SelectField(
        "Xếp loại đánh giá, phân loại", choices=options(RATINGS), validators=[optional()]
    )
    initiative_recognised = BooleanField("Có sáng kiến được công nhận")
    research_accepted = BooleanField("Có đề tài, đề án khoa học được nghiệm thu")
    discipline = SelectField("Kỷ luật", choices=options(DISCIPLINE), validators=[optional()])
    months_worked = IntegerField(
        "Số tháng công tác trong năm", validators=[optional(), number_range(0, 12)]
    )
    absent_days = IntegerField(
        "Số ngày nghỉ làm việc", validators=[optional(), number_range(0, 366)]
    )
    consecutive_cstdcs = IntegerField(
        "Số năm liên tục đạt Chiến sĩ thi đua cơ sở (tính cả năm nay)",
        validators=[optional(), number_range(0, 60)],
    )
    initiative_scope = SelectField(
        "Phạm vi công nhận sáng kiến / đề tài", choices=options(SCOPES), validators=[optional()]
    )
    member_count = IntegerField(
        "Tập thể: tổng số thành viên", validators=[optional(), number_range(0, 100000)]
    )
    ldtt_count = IntegerField(
        "Tập thể: số thành viên đạt Lao động tiên tiến",
        validators=[optional(), number_range(0, 100000)],
    )
    completed_count = IntegerField(
        "Tập thể: số thành viên hoàn thành nhiệm vụ",
        validators=[optional(), number_range(0, 100000)],
    )
    cstdcs_count = IntegerField(
        "Tập thể: số Chiến sĩ thi đua cơ sở", validators=[optional(), number_range(0, 100000)]
    )
    disciplined_count = IntegerField(
        "Tập thể: số thành viên bị kỷ luật từ cảnh cáo trở lên",
        validators=[optional(), number_range(0, 100000)],
    )

    def validate_ldtt_count(self, field: IntegerField) -> None:
        if field.data is not None and self.member_count.data is not None:
            if field.data > self.member_count.data:
                raise ValidationError("Không thể lớn hơn tổng số thành viên.")

    def validate_completed_count(self, field: IntegerField) -> None:
        self.validate_ldtt_count(field)


class DecisionForm(Form):
    """The council's vote and the decision on one submission."""

    votes_for = IntegerField("Số phiếu đồng ý", validators=[optional(), number_range(0, 1000)])
    council_total = IntegerField(
        "Tổng số thành viên Hội đồng", validators=[optional(), number_range(1, 1000)]
    )
    decision = RadioField(
        "Kết quả",
        choices=options(
            [
                ("approved", "Đề nghị / công nhận"),
                ("rejected", "Không đề nghị"),
                ("submitted", "Chưa quyết định"),
            ]
        ),
        default="submitted",
    )
    note = TextAreaField("Ghi chú", validators=[optional(), length(4000)], filters=TEXT_FILTERS)
    # Lengths match services.decisions.MAX_REASON; the service checks them again.
    override_reason = TextAreaField(
        "Lý do giữ kết quả dù chưa đạt ngưỡng biểu quyết",
        validators=[optional(), length(2000)],
        filters=TEXT_FILTERS,
        description="Chỉ ghi khi Hội đồng vẫn đề nghị dù số phiếu đồng ý chưa đạt ngưỡng; "
        "lý do được lưu và ghi vào nhật ký.",
    )
    redo_reason = TextAreaField(
        "Làm lại: lý do thu hồi văn bản đã phát hành và lập văn bản thay thế",
        validators=[optional(), length(2000)],
        filters=TEXT_FILTERS,
    )

    def validate_votes_for(self, field: IntegerField) -> None:
        total = self.council_total.data
        if field.data is not None and total is None:
            raise ValidationError("Nhập cả tổng số thành viên Hội đồng.")
        if field.data is not None and total is not None and field.data > total:
            raise ValidationError("Số phiếu đồng ý không thể lớn hơn tổng số thành viên.")


class FilterForm(Form):
    """GET filters of the clerk's list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    round = SelectField("Đợt", validators=[optional()])
    kind = SelectField("Loại", validators=[optional()])
    unit = StringField("Tổ / bộ phận", validators=[optional()], filters=TEXT_FILTERS)
    status = SelectField("Trạng thái", validators=[optional()])
    q = StringField("Tìm tên (có hoặc không dấu)", validators=[optional()], filters=TEXT_FILTERS)


class StaffImportForm(Form):
    file = FileField("Tệp Excel danh sách cán bộ (.xlsx)")
