"""The "new document" form, built from the kind's manifest (``templates_docx/<kind>.json``).

Every header and body field of the manifest becomes an input with its Vietnamese label,
help text and required flag: ``text`` → one-line input, ``textarea`` → multi-line (each line
is a paragraph of the document), ``date`` → date picker, ``int`` → number, ``choice`` →
drop-down, ``list`` → an editable table, one row of inputs per item. Empty table rows are
ignored (clearing a row removes it); "Thêm dòng" adds blank rows without losing anything
typed. Adding a field to a manifest adds it to the form with no code change here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from dataclasses import replace
from functools import cache
from typing import Any

from wtforms import FieldList
from wtforms import FormField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import validators
from wtforms.fields.core import Field as WTField

from domain.dates import format_short_date
from domain.legal_basis import Instrument
from domain.legal_basis import all_instruments
from domain.legal_basis import describe_validity
from domain.names import position_title
from forms.base import Form
from forms.base import SubForm
from forms.base import options
from forms.dates import DayFirstDateField
from forms.fields import CHOOSE
from forms.fields import REQUIRED
from forms.fields import length
from forms.fields import normalise
from forms.fields import optional
from forms.fields import required
from render.context import chosen_legal_basis
from render.manifest import Column
from render.manifest import Field
from render.manifest import Manifest
from render.manifest import load_manifest
from storage.models import Organization

HEADER = "h_"  # form field name prefixes: header fields and body fields of the manifest
BODY = "b_"
BLANK_ROWS = 2  # blank table rows offered below the filled ones
ADD_ROWS = 3  # rows "Thêm dòng" adds
MAX_ROWS = 300
MAX_TEXT = 2000
MAX_TEXTAREA = 50_000
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
AUTHORITY_LABELS = {
    "": "— Không (người đứng đầu ký) —",
    "TM": "TM. (thay mặt tập thể)",
    "KT": "KT. (ký thay)",
    "Q": "Q. (quyền)",
    "TL": "TL. (thừa lệnh)",
    "TUQ": "TUQ. (thừa ủy quyền)",
}
# Not in the manifests: the drafting unit's abbreviation, printed in "- Lưu: VT, TCM." and,
# for a công văn, in the ký hiệu (THCSMT-TCM).
UNIT_ABBREV = Field(
    name="unit_abbrev",
    label="Đơn vị soạn thảo (viết tắt)",
    help="Ví dụ “TCM”: in ở dòng “Lưu: VT, TCM.”; với công văn là phần sau của ký hiệu "
    "(THCSMT-TCM). Để trống nếu không cần.",
)


LEGAL_BASIS = "legal_basis"  # the căn cứ ticked on the form (instrument codes)
LEGAL_BASIS_DATE = "legal_basis_date_"  # + code: the date of an instrument not confirmed


@dataclass(frozen=True)
class LegalBasisChoice:
    """One instrument offered on the form: its checkbox and, when its date is not
    confirmed, the date the clerk must enter to print it."""

    instrument: Instrument
    checked: bool
    date_field: WTField | None

    @property
    def label(self) -> str:
        return f"{self.instrument.short_name} ({describe_validity(self.instrument)})"

    @property
    def hint(self) -> str:
        if self.instrument.dated:
            return ""
        reported = self.instrument.issued_reported
        seen = f" Các nguồn chưa chính thức ghi {format_short_date(reported)}." if reported else ""
        return (
            "Ngày ban hành chưa được xác nhận: nhập ngày đã đối chiếu với văn bản gốc thì mới "
            f"in được căn cứ này.{seen}"
        )


@dataclass(frozen=True)
class Entry:
    """One manifest field and the form field that edits it (for the template)."""

    spec: Field
    field: WTField

    @property
    def is_list(self) -> bool:
        return self.spec.type == "list"


class DocumentForm(Form):
    """Base of the per-kind classes made by :func:`form_class`."""

    manifest: Manifest
    header_specs: tuple[Field, ...]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Errors of table fields, by field name: "no row" and "row 2: column X missing".
        self.list_errors: dict[str, list[str]] = {}
        self.bad_rows: dict[str, set[int]] = {}  # entry indexes of rows with a problem
        self.form_error = ""  # a refusal of the whole input (e.g. from the domain rules)

    # -- layout ---------------------------------------------------------------------
    def header_entries(self) -> list[Entry]:
        return [Entry(s, self[HEADER + s.name]) for s in self.header_specs]

    def legal_basis_choices(self) -> list[LegalBasisChoice]:
        """The căn cứ checkboxes, or [] for a kind without căn cứ lines."""
        if LEGAL_BASIS not in self._fields:
            return []
        ticked = set(self[LEGAL_BASIS].data or ())
        return [
            LegalBasisChoice(
                item, item.code in ticked, self._fields.get(LEGAL_BASIS_DATE + item.code)
            )
            for item in all_instruments()
        ]

    def body_entries(self) -> list[Entry]:
        return [Entry(s, self[BODY + s.name]) for s in self.manifest.fields]

    def add_rows(self, name: str, count: int = ADD_ROWS) -> None:
        """Offer ``count`` more blank rows in table field ``name`` (a body field)."""
        field = self._fields.get(BODY + name)
        if isinstance(field, FieldList):
            for _ in range(count):
                if len(field.entries) < MAX_ROWS:
                    field.append_entry()

    # -- validation -----------------------------------------------------------------
    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        self.list_errors, self.bad_rows = {}, {}
        for spec in self.manifest.fields:
            if spec.type != "list":
                continue
            problems, bad = _check_rows(spec, self[BODY + spec.name])
            if problems:
                self.list_errors[spec.name] = problems
                self.bad_rows[spec.name] = bad
        return ok and not self.list_errors

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.list_errors or self.form_error)

    # -- values ---------------------------------------------------------------------
    def header_values(self) -> dict[str, Any]:
        """The header fields as stored in ``Document.header_fields`` (JSON values)."""
        values = {s.name: _stored(s.type, self[HEADER + s.name].data) for s in self.header_specs}
        if LEGAL_BASIS in self._fields:
            codes = [code for code in self[LEGAL_BASIS].data or () if code]
            values[LEGAL_BASIS] = codes
            values["legal_basis_dates"] = {
                code: _stored("date", self[LEGAL_BASIS_DATE + code].data)
                for code in codes
                if LEGAL_BASIS_DATE + code in self._fields and self[LEGAL_BASIS_DATE + code].data
            }
        return values

    def body_values(self) -> dict[str, Any]:
        """The body fields as stored in ``Document.body_fields``; tables as lists of dicts."""
        values: dict[str, Any] = {}
        for spec in self.manifest.fields:
            field = self[BODY + spec.name]
            if spec.type == "list":
                values[spec.name] = _rows(spec, field)
            else:
                values[spec.name] = _stored(spec.type, field.data)
        return values


def header_specs(manifest: Manifest) -> tuple[Field, ...]:
    """The header fields the form asks for: the manifest's plus the drafting unit."""
    extra = (UNIT_ABBREV,) if manifest.header.number and manifest.header.recipients else ()
    return (*manifest.header_fields, *extra)


def post_data(kind: str, header: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The POST data a browser sends for these values: the inverse of :func:`document_form`
    (lists as one item per line, table rows as indexed inputs). Used by tests and benches."""

    def text(value: Any) -> str:
        if value is None:
            return ""
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)

    manifest = load_manifest(kind)
    data: dict[str, Any] = {
        HEADER + spec.name: text(header.get(spec.name)) for spec in header_specs(manifest)
    }
    for spec in manifest.fields:
        value = body.get(spec.name)
        if spec.type == "list":
            for index, row in enumerate(value or []):
                for column in spec.columns:
                    data[f"{BODY}{spec.name}-{index}-{column.name}"] = text(row.get(column.name))
        else:
            data[BODY + spec.name] = text(value)
    if any(spec.name == "can_cu" for spec in manifest.header_fields):
        data[LEGAL_BASIS] = chosen_legal_basis(manifest, header)
        for code, value in (header.get("legal_basis_dates") or {}).items():
            data[LEGAL_BASIS_DATE + code] = text(value)
    return data


@cache
def form_class(kind: str) -> type[DocumentForm]:
    """The form class of ``kind``, made once from its manifest."""
    manifest = load_manifest(kind)
    specs = header_specs(manifest)
    attributes: dict[str, Any] = {"manifest": manifest, "header_specs": specs}
    for spec in specs:
        attributes[HEADER + spec.name] = _field(spec)
    for spec in manifest.fields:
        attributes[BODY + spec.name] = _field(spec)
    if any(spec.name == "can_cu" for spec in manifest.header_fields):
        instruments = all_instruments()
        attributes[LEGAL_BASIS] = SelectMultipleField(
            "Căn cứ pháp lý",
            choices=[(item.code, item.short_name) for item in instruments],
            validate_choice=True,
        )
        for item in instruments:
            if not item.dated:
                attributes[LEGAL_BASIS_DATE + item.code] = DayFirstDateField(
                    f"Ngày ban hành của {item.short_name}",
                    validators=[optional()],
                )
    return type(f"DocumentForm_{kind}", (DocumentForm,), attributes)


def document_form(
    kind: str,
    *,
    formdata: Any = None,
    header: dict[str, Any] | None = None,
    body: dict[str, Any] | None = None,
) -> DocumentForm:
    """A form of ``kind``: from the request (``formdata``) or filled with stored values."""
    cls = form_class(kind)
    if formdata is not None:
        return cls(formdata=formdata)
    data: dict[str, Any] = {}
    for spec in cls.header_specs:
        data[HEADER + spec.name] = _loaded(spec, (header or {}).get(spec.name))
    for spec in cls.manifest.fields:
        data[BODY + spec.name] = _loaded(spec, (body or {}).get(spec.name))
    if LEGAL_BASIS in vars(cls):
        # A document keeps what was ticked; a new one (or an older one) starts from the
        # suggestion for its kind, date and trích yếu.
        data[LEGAL_BASIS] = chosen_legal_basis(cls.manifest, header or {})
        for code, value in ((header or {}).get("legal_basis_dates") or {}).items():
            data[LEGAL_BASIS_DATE + code] = _loaded_scalar("date", value)
    form = cls(formdata=None, data=data)
    for spec in cls.manifest.fields:
        if spec.type == "list":
            form.add_rows(spec.name, BLANK_ROWS)
    return form


def initial_header(kind: str, org: Organization) -> dict[str, Any]:
    """What a new document's header starts with: the head of the body signs, the usual
    recipients receive it."""
    names = {s.name for s in header_specs(load_manifest(kind))}
    values = {
        "signer_position": position_title(org.head_title),
        "signer_name": org.head_name or "",
        "recipients": org.default_recipients or "",
    }
    return {k: v for k, v in values.items() if k in names and v}


# -- building fields -------------------------------------------------------------------


def _field(spec: Field | Column) -> Any:
    label = spec.label + (" *" if spec.required else "")
    need: list[Any] = [required()] if spec.required else [optional()]
    common: dict[str, Any] = {"label": label, "description": spec.help}
    if spec.type == "list":
        columns = spec.columns  # type: ignore[union-attr]  # only a Field is of type list
        row = type(
            f"Row_{spec.name}",
            (SubForm,),
            {c.name: _field(_optional_column(c)) for c in columns},
        )
        return FieldList(FormField(row), max_entries=MAX_ROWS, **common)
    if spec.type == "textarea":
        return TextAreaField(
            filters=[normalise], validators=[*need, length(MAX_TEXTAREA)], **common
        )
    if spec.type == "date":
        return DayFirstDateField(validators=need, **common)
    if spec.type == "int":
        # InputRequired, not DataRequired: 0 is a valid count (e.g. nobody absent).
        need = [validators.InputRequired(message=REQUIRED)] if spec.required else need
        return IntegerField(
            validators=[*need, validators.NumberRange(min=0, message="Phải là số không âm.")],
            **common,
        )
    if spec.type == "choice":
        blank = "— Chọn —" if spec.required else "— Không —"
        choices = [(c, AUTHORITY_LABELS.get(c, c) if spec.name == "signer_authority" else c)
                   for c in spec.choices if c]  # fmt: skip
        first = AUTHORITY_LABELS[""] if spec.name == "signer_authority" else blank
        need = [required(CHOOSE)] if spec.required else []
        return SelectField(choices=options([("", first), *choices]), validators=need, **common)
    return StringField(filters=[normalise], validators=[*need, length(MAX_TEXT)], **common)


def _optional_column(column: Column) -> Column:
    # A blank row is allowed (it is dropped), so columns are checked row by row in
    # DocumentForm.validate, not by the input's own validators.

    return replace(column, required=False, help="")


# -- values in and out -----------------------------------------------------------------


def _filled_rows(spec: Field, field: FieldList) -> list[tuple[int, dict[str, Any]]]:
    """(entry index, values) of the rows with something typed; blank rows are dropped."""
    rows = []
    for index, entry in enumerate(field.entries):
        row = {c.name: _stored(c.type, entry.form[c.name].data) for c in spec.columns}
        if any(v not in (None, "") for v in row.values()):
            rows.append((index, row))
    return rows


def _rows(spec: Field, field: FieldList) -> list[dict[str, Any]]:
    return [row for _, row in _filled_rows(spec, field)]


def _check_rows(spec: Field, field: FieldList) -> tuple[list[str], set[int]]:
    problems, bad = [], set()
    rows = _filled_rows(spec, field)
    if spec.required and not rows:
        problems.append("Vui lòng nhập ít nhất một dòng.")
    for index, row in rows:
        missing = [c.label for c in spec.columns if c.required and row.get(c.name) in (None, "")]
        if missing:
            # Numbered as the table shows them (STT), blank rows included.
            names = ", ".join(f"“{m}”" for m in missing)
            problems.append(f"Dòng {index + 1}: chưa nhập {names}.")
            bad.add(index)
    return problems, bad


def _stored(kind: str, value: Any) -> Any:
    if value is None:
        return None if kind == "int" else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return normalise(value)
    return value


def _loaded(spec: Field, value: Any) -> Any:
    if spec.type == "list":
        return [
            {c.name: _loaded_scalar(c.type, (row or {}).get(c.name)) for c in spec.columns}
            for row in (value or [])
            if isinstance(row, dict)
        ]
    return _loaded_scalar(spec.type, value)


def _loaded_scalar(kind: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    if kind == "date":
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        return None
    if kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if isinstance(value, list):  # e.g. recipients kept as a list: one per line
        return "\n".join(str(v) for v in value)
    return str(value)
