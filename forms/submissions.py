"""The four staff forms: registering titles, exemplary nominations, commendations, initiatives."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import MultipleFileField
from wtforms import FieldList
from wtforms import FormField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import ValidationError

from domain.emulation import choices
from domain.emulation.rulesets import RuleSet
from forms.base import Form
from forms.base import SubForm
from forms.base import options
from forms.fields import CHOOSE
from forms.fields import TEXT_FILTERS
from forms.fields import length
from forms.fields import optional
from forms.fields import required

EVIDENCE_LABEL = "Minh chứng"
EVIDENCE_HELP = (
    "PDF, Word (.docx, .doc), Excel (.xlsx, .xls), OpenDocument (.odt, .ods), RTF, ảnh JPEG "
    "hoặc PNG; có thể chọn nhiều tệp. Tệp .doc, .xls, .odt được chuyển sang PDF để xem "
    "trên điện thoại (tệp gốc vẫn được giữ). Hệ thống kiểm tra nội dung tệp."
)
NOMINEE_TYPES = [("individual", "Cá nhân"), ("collective", "Tập thể")]
LONG_TEXT = 20000
MAX_ROWS = 40


class TitleSelectField(SelectField):
    """A select of title or form codes offered by the round's rule set.

    A code the rule set does not offer — a crafted POST, or a form that ended with the
    district level — is refused with a message naming it, not WTForms' bare "not a valid
    choice".
    """

    ruleset: RuleSet | None = None

    def offer(self, blank: str, pairs: list[tuple[str, str]], ruleset: RuleSet | None) -> None:
        self.ruleset = ruleset
        self.choices = options([("", blank), *pairs])

    def pre_validate(self, form: Any) -> None:
        message = choices.not_offered(self.data, self.ruleset)
        if message:
            raise ValidationError(message)
        super().pre_validate(form)


class RoundOffers:
    """A form shown for one round: ``round_`` fixes the rule set its choices follow."""

    ruleset: RuleSet | None

    def __init__(self, *args, round_=None, **kwargs):
        self.ruleset = choices.ruleset_of(round_)
        super().__init__(*args, **kwargs)


class PersonRow(SubForm):
    """One person in a unit head's registration list (a blank row is ignored)."""

    full_name = StringField("Họ và tên", validators=[optional(), length(120)], filters=TEXT_FILTERS)
    position = StringField("Chức vụ", validators=[optional(), length(120)], filters=TEXT_FILTERS)
    unit = StringField("Tổ / bộ phận", validators=[optional(), length(120)], filters=TEXT_FILTERS)
    title_code = TitleSelectField("Danh hiệu đăng ký", validators=[optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer(None)

    def offer(self, ruleset: RuleSet | None) -> None:
        """Rows are built by the FieldList, which cannot pass the round: the parent form
        calls this with its rule set."""
        self.title_code.offer("— chọn danh hiệu —", choices.individual_titles(ruleset), ruleset)

    @property
    def is_blank(self) -> bool:
        return not any((self.full_name.data, self.position.data, self.unit.data))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.is_blank:
            return ok
        if not self.full_name.data:
            self.full_name.errors = [*self.full_name.errors, "Vui lòng nhập họ và tên."]
            ok = False
        if not self.title_code.data:
            self.title_code.errors = [*self.title_code.errors, "Vui lòng chọn danh hiệu."]
            ok = False
        return ok


class RegistrationForm(RoundOffers, Form):
    """Đăng ký danh hiệu thi đua: several individuals at once, or one collective."""

    nominee_type = RadioField("Đăng ký cho", choices=options(NOMINEE_TYPES), default="individual")
    people = FieldList(FormField(PersonRow), min_entries=3, max_entries=MAX_ROWS)
    collective_unit = StringField(
        "Tên tập thể (tổ, bộ phận, đơn vị)",
        validators=[optional(), length(255)],
        filters=TEXT_FILTERS,
    )
    collective_title = TitleSelectField("Danh hiệu tập thể đăng ký", validators=[optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.collective_title.offer(
            "— chọn danh hiệu —", choices.collective_titles(self.ruleset), self.ruleset
        )
        for entry in self.people:
            entry.form.offer(self.ruleset)

    def add_rows(self, count: int) -> None:
        """Show at least ``count`` person rows, each offering the round's titles."""
        while len(self.people) < count:
            self.people.append_entry().form.offer(self.ruleset)

    def prefill(self, name: str, position: str, unit: str) -> None:
        """The first row is the person filling the form (editable, or emptied to register
        others only)."""
        first = self.people[0].form
        if first.is_blank:
            first.full_name.data, first.position.data, first.unit.data = name, position, unit

    def filled_people(self) -> list[PersonRow]:
        return [entry.form for entry in self.people if not entry.form.is_blank]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.nominee_type.data == "collective":
            if not self.collective_unit.data:
                self.collective_unit.errors = [
                    *self.collective_unit.errors,
                    "Vui lòng nhập tên tập thể.",
                ]
                ok = False
            if not self.collective_title.data:
                self.collective_title.errors = [*self.collective_title.errors, CHOOSE]
                ok = False
        elif not self.filled_people():
            self.people.errors = ["Vui lòng nhập ít nhất một người đăng ký."]
            ok = False
        return ok


class NomineeMixin:
    nominee_type = RadioField("Đối tượng", choices=options(NOMINEE_TYPES), default="individual")
    nominee_name = StringField(
        "Họ tên cá nhân / tên tập thể",
        validators=[required(), length(255)],
        filters=TEXT_FILTERS,
    )
    position = StringField(
        "Chức vụ (với cá nhân)", validators=[optional(), length(120)], filters=TEXT_FILTERS
    )
    unit = StringField("Tổ / bộ phận", validators=[optional(), length(120)], filters=TEXT_FILTERS)

    def prefill(self, name: str, position: str, unit: str) -> None:
        """Start with the person filling the form (editable): most propose themselves."""
        self.nominee_name.data = self.nominee_name.data or name
        self.position.data = self.position.data or position
        self.unit.data = self.unit.data or unit


class ExemplaryForm(RoundOffers, NomineeMixin, Form):
    """Giới thiệu điển hình tiên tiến, with a summary of achievements and evidence files."""

    field = StringField(
        "Lĩnh vực",
        validators=[required(), length(160)],
        filters=TEXT_FILTERS,
        description="Ví dụ: Đổi mới phương pháp dạy học, công tác chủ nhiệm, chuyển đổi số.",
    )
    achievements = TextAreaField(
        "Tóm tắt thành tích",
        validators=[required(), length(LONG_TEXT, 20)],
        filters=TEXT_FILTERS,
        description="Nêu thành tích nổi bật, có số liệu; mỗi ý một đoạn.",
    )
    evidence = MultipleFileField(EVIDENCE_LABEL, description=EVIDENCE_HELP)


class CommendationForm(RoundOffers, NomineeMixin, Form):
    """Đề nghị khen thưởng."""

    form_code = TitleSelectField("Hình thức khen thưởng đề nghị", validators=[required(CHOOSE)])
    period = StringField(
        "Thời gian đạt thành tích",
        validators=[required(), length(120)],
        filters=TEXT_FILTERS,
        description="Ví dụ: Năm học 2024-2025; hoặc giai đoạn 2021-2025.",
    )
    achievements = TextAreaField(
        "Thành tích",
        validators=[required(), length(LONG_TEXT, 20)],
        filters=TEXT_FILTERS,
    )
    evidence = MultipleFileField(EVIDENCE_LABEL, description=EVIDENCE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_code.offer(
            "— chọn hình thức —", choices.commendation_forms(self.ruleset), self.ruleset
        )

    def validate_form_code(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError(CHOOSE)


class InitiativeForm(RoundOffers, Form):
    """Đăng ký sáng kiến."""

    title = StringField("Tên sáng kiến", validators=[required(), length(500)], filters=TEXT_FILTERS)
    authors = TextAreaField(
        "Tác giả / đồng tác giả (mỗi người một dòng)",
        validators=[required(), length(2000)],
        filters=TEXT_FILTERS,
    )
    unit = StringField("Tổ / bộ phận", validators=[optional(), length(120)], filters=TEXT_FILTERS)
    field = StringField(
        "Lĩnh vực áp dụng", validators=[required(), length(160)], filters=TEXT_FILTERS
    )
    scope = TextAreaField(
        "Phạm vi đã áp dụng",
        validators=[required(), length(LONG_TEXT)],
        filters=TEXT_FILTERS,
        description="Áp dụng ở đâu, từ khi nào, cho bao nhiêu lớp / học sinh / đơn vị.",
    )
    effect = TextAreaField(
        "Hiệu quả", validators=[required(), length(LONG_TEXT)], filters=TEXT_FILTERS
    )
    evidence = MultipleFileField("Tài liệu kèm theo", description=EVIDENCE_HELP)

    def prefill(self, name: str, position: str, unit: str) -> None:
        """The person filling the form is the first author (editable); their unit the unit."""
        self.authors.data = self.authors.data or name
        self.unit.data = self.unit.data or unit

    def author_list(self) -> list[str]:
        return [line.strip() for line in (self.authors.data or "").splitlines() if line.strip()]

    def validate_authors(self, field: TextAreaField) -> None:
        if not self.author_list():
            raise ValidationError("Vui lòng nhập ít nhất một tác giả.")


class RegistrationEditForm(RoundOffers, NomineeMixin, Form):
    """Editing one registered person or collective after submission."""

    title_code = TitleSelectField("Danh hiệu đăng ký", validators=[required(CHOOSE)])

    def __init__(self, *args: Any, collective: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        listed = choices.collective_titles if collective else choices.individual_titles
        self.title_code.offer("— chọn danh hiệu —", listed(self.ruleset), self.ruleset)
