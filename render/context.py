"""Build template variables from what the clerk typed, using the domain rules.

Templates never format dates, numbers or header lines themselves: everything they print
comes ready-made from here (NĐ 30 rules live in ``domain``). Common variables, available in
every template (:data:`COMMON_VARIABLES`):

``parent_issuer``, ``issuer`` (upper-case), ``issuer_name`` (as typed, for running text),
``number_line`` ("Số: 05/KH-THCSMT"), ``place_date_line``, ``type_name``, ``summary``,
``vv_line`` ("V/v …", công văn), ``kinh_gui`` (lines, the first holds "Kính gửi:"),
``can_cu`` (lines with final punctuation), ``recipients`` (Nơi nhận items, without the
label), ``sign_authority`` (upper-case lines), ``signer_name``, ``doc_date`` (words),
``doc_date_short``, ``doc_year``.

Layout variables, measured here so that each document's lines fit its own text:
``issuer_rule`` and ``summary_rule`` (``{{r ...}}`` runs drawing the line under the issuer
and under the trích yếu, 1/3–1/2 of the longest printed line above them, see
:mod:`render.build.measure`), ``recipients_head`` (the Nơi nhận items printed beside the
signature, in the end block's first row, which never splits: every item up to a page's
worth, so Nơi nhận and signature stay on one page) and ``recipients_tail`` (only what could
not fit on one page with the signature, one row each, continuing on the next page).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from docxtpl import RichText

from domain import layout
from domain import legal_basis
from domain.dates import format_date_words
from domain.dates import format_place_date
from domain.dates import format_short_date
from domain.doc_types import get_doc_type
from domain.header import Header
from domain.numbering import format_symbol
from domain.recipients import default_first_item
from domain.recipients import kinh_gui_lines
from domain.recipients import noi_nhan_lines
from domain.signature import SignatureBlock
from domain.text import clean_line
from domain.text import nfc
from domain.text import upper_vi
from render.build import measure
from render.context_general import GENERAL_ENRICHERS
from render.context_kinds import KIND_ENRICHERS
from render.errors import RenderError
from render.manifest import Field
from render.manifest import Manifest
from render.manifest import load_manifest
from render.values import is_empty
from render.values import parse_date

COMMON_VARIABLES: frozenset[str] = frozenset({
    "parent_issuer", "issuer", "issuer_name", "number_line", "place_date_line", "type_name",
    "summary", "vv_line", "kinh_gui", "can_cu", "recipients", "sign_authority",
    "signer_name", "doc_date", "doc_date_short", "doc_year",
    "issuer_rule", "summary_rule", "recipients_head", "recipients_tail",
})  # fmt: skip

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
          "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")  # fmt: skip

# Per kind, what adds the kind's own variables to the common context.
ENRICHERS = {**KIND_ENRICHERS, **GENERAL_ENRICHERS}


def build_context(
    kind: str,
    header_fields: Mapping[str, Any],
    body_fields: Mapping[str, Any],
    org: Mapping[str, Any],
    *,
    manifest: Manifest | None = None,
) -> dict[str, Any]:
    """Return every variable a kind's template needs.

    Args:
        kind: a template kind of :data:`render.manifest.KINDS`.
        header_fields: ``number`` (int or None for a draft), ``date`` (date, ISO text or
            None), ``summary``, ``kinh_gui``, ``recipients``, ``can_cu`` (extra căn cứ
            lines), ``signer_authority`` (TM/KT/Q/TL/TUQ or ""), ``signer_collective``,
            ``signer_position``, ``signer_name``. Lists may be given as lists or as text
            with one item per line.
        body_fields: values of the manifest's fields.
        org: ``parent_issuer``, ``issuer``, ``issuer_abbrev``, ``unit_abbrev``, ``place``.
        manifest: the kind's manifest (loaded from disk when omitted).

    Returns:
        The template context (strings NFC, lists of strings or of row dicts).

    Raises:
        RenderError: with a Vietnamese message when a required value is missing or a
            domain rule refuses the input (e.g. no căn cứ in force on the date).
    """
    manifest = manifest or load_manifest(kind)
    spec = manifest.header
    issued_on = parse_date(header_fields.get("date"), "Ngày ban hành")
    context = _header_context(manifest, header_fields, org, issued_on)
    context.update(_body_context(manifest, body_fields))
    try:
        context["can_cu"] = _can_cu(manifest, header_fields, body_fields, issued_on)
        doc_type = get_doc_type(spec.doc_type) if spec.doc_type else None
        addressees = as_lines(header_fields.get("kinh_gui"))
        # A Báo cáo may go to a superior (Kính gửi, then "Như trên") or stay in the school.
        optional = not any(f.name == "kinh_gui" and f.required for f in manifest.header_fields)
        context["kinh_gui"] = (
            kinh_gui_lines(addressees) if spec.kinh_gui and (addressees or not optional) else []
        )
        if spec.recipients:
            first = default_first_item(doc_type, bool(context["kinh_gui"])) if doc_type else None
            context["recipients"] = noi_nhan_lines(
                as_lines(header_fields.get("recipients")),
                first_item=first,
                archive_unit=clean_line(org.get("unit_abbrev")) or spec.archive_unit,
            )[1:]
        else:
            context["recipients"] = []
    except (ValueError, KeyError) as exc:
        raise RenderError(getattr(exc, "message", None) or str(exc).strip("'\"")) from exc
    ENRICHERS.get(kind, _no_enrichment)(context, body_fields)
    context.update(layout_context(manifest, context))
    return context


# The lines printed under the rule of the title block: the trích yếu, or the Báo cáo thành
# tích's two title lines ("ĐỀ NGHỊ TẶNG …" and the period), which stand in its place.
_TITLE_LINES: dict[str, tuple[str, ...]] = {
    "bao_cao_ca_nhan": ("award_line", "ky"),
    "bao_cao_tap_the": ("award_line", "ky"),
}
# Single-spaced line heights (Times New Roman: ascent + descent = 1.107 em) of the end block.
_SIGNATURE_LINE_PT = 14 * 1.107
_LABEL_LINE_PT = 12 * 1.107
_ITEM_LINE_PT = 11 * 1.107
_SIGNATURE_BLANK_LINES = 4  # room for the signature and the seal
_PT_PER_MM = 72 / 25.4
# Body lines (at 1.5 spacing) that move with the end block, and the share of Nơi nhận items
# that wrap to a second line in the left column.
_KEPT_BODY_LINES = 3
_WRAP_ALLOWANCE = 1.4


def layout_context(manifest: Manifest, context: Mapping[str, Any]) -> dict[str, Any]:
    """Return the layout variables of a context (see the module's docstring)."""
    landscape = manifest.landscape
    issuer = layout.ELEMENTS["issuer"]
    issuer_mm = measure.rule_length_mm(
        [str(context.get("issuer", ""))],
        measure.issuer_box_mm(landscape=landscape),
        float(issuer.size_default or 12),
        bold=bool(issuer.bold),
    )
    summary = layout.ELEMENTS["summary"]
    names = _TITLE_LINES.get(manifest.kind, ("summary",))
    summary_mm = measure.rule_length_mm(
        [str(context.get(name, "")) for name in names if context.get(name)],
        measure.text_box_mm(landscape=landscape),
        float(summary.size_default or 14),
        bold=bool(summary.bold),
    )
    recipients = list(context.get("recipients", []))
    beside = recipients_kept_with_signature(len(context.get("sign_authority", [])))
    return {
        "issuer_rule": _rule(issuer_mm, 1),
        "summary_rule": _rule(summary_mm, 2),
        "recipients_head": recipients[:beside],
        "recipients_tail": recipients[beside:],
    }


def recipients_kept_with_signature(authority_lines: int) -> int:
    """Return how many Nơi nhận items share the end block's unsplittable first row.

    NĐ 30 prints Nơi nhận and the signature as one block: a văn thư never sends "- Lưu: VT"
    alone to the next page. So every item goes in the first row, up to what fits on one page
    beside the signature with the body's last lines kept with it (items may wrap, hence the
    allowance); only a list longer than a page continues in rows of its own.
    """
    page_pt = (
        layout.A4.height_mm - layout.MARGINS["top"].default_mm - layout.MARGINS["bottom"].default_mm
    ) * _PT_PER_MM
    room = page_pt - _KEPT_BODY_LINES * _SIGNATURE_LINE_PT * 1.5 - _LABEL_LINE_PT
    per_page = math.floor(room / (_ITEM_LINE_PT * _WRAP_ALLOWANCE))
    return max(recipients_beside_signature(authority_lines), per_page)


def recipients_beside_signature(authority_lines: int) -> int:
    """Return how many Nơi nhận items fill the height of the signature beside them.

    The end block's first row holds "Nơi nhận:", these items and the whole signature, and
    cannot split; the other items follow in rows of their own. As many items as the
    signature is tall make the left column run on without a gap into those rows.
    """
    signature = (authority_lines + _SIGNATURE_BLANK_LINES + 1) * _SIGNATURE_LINE_PT
    return max(1, math.ceil((signature - _LABEL_LINE_PT) / _ITEM_LINE_PT))


def _rule(length_mm: float, shape_id: int) -> RichText:
    rule = RichText()
    rule.xml = measure.rule_run_xml(length_mm, shape_id)
    return rule


def build_context_from_sample(manifest: Manifest) -> dict[str, Any]:
    """Return the context of a manifest's sample (``header``, ``body``, ``org``)."""
    sample = manifest.sample
    return build_context(
        manifest.kind,
        sample.get("header", {}),
        sample.get("body", {}),
        sample.get("org", {}),
        manifest=manifest,
    )


def _no_enrichment(context: dict[str, Any], body: Mapping[str, Any]) -> None:
    del context, body


def _header_context(
    manifest: Manifest,
    fields: Mapping[str, Any],
    org: Mapping[str, Any],
    issued_on: datetime.date | None,
) -> dict[str, Any]:
    spec = manifest.header
    summary = clean_line(fields.get("summary"))
    if "summary" in {f.name for f in manifest.header_fields if f.required} and not summary:
        raise RenderError("Chưa nhập trích yếu nội dung văn bản.")
    issuer = clean_line(org.get("issuer"))
    if not issuer:
        raise RenderError("Chưa khai báo tên cơ quan ban hành (thông tin đơn vị).")
    number_line = place_date_line = vv_line = ""
    doc_type_code = spec.doc_type or "BC"
    try:
        doc_type = get_doc_type(doc_type_code)
        # An issued document keeps the ký hiệu recorded in the register.
        symbol = clean_line(fields.get("symbol")) or format_symbol(
            doc_type, clean_line(org.get("issuer_abbrev")), clean_line(org.get("unit_abbrev"))
        )
        header = Header(
            parent_issuer=clean_line(org.get("parent_issuer")),
            issuer=issuer,
            doc_type=doc_type,
            number=_int_or_none(fields.get("number")),
            symbol=symbol,
            place=clean_line(org.get("place")),
            issued_on=issued_on,
            summary=summary,
            year_hint=(issued_on or datetime.date.today()).year,
        )
        if spec.number:
            number_line = header.number_line
        if spec.date:
            place_date_line = format_place_date_line(header)
        if header.is_cong_van:
            vv_line = header.summary_line
            summary = header.summary_text
        signature = SignatureBlock.from_header(fields)
        sign_authority = signature.authority_lines
    except ValueError as exc:
        raise RenderError(str(exc)) from exc
    return {
        "parent_issuer": header.parent_line,
        "issuer": header.issuer_line,
        "issuer_name": issuer,
        "number_line": number_line,
        "place_date_line": place_date_line,
        "type_name": upper_vi(spec.type_name) if spec.type_name else header.type_line,
        "summary": summary,
        "vv_line": vv_line,
        "sign_authority": sign_authority,
        "signer_name": signature.name_line,
        "doc_date": format_date_words(issued_on) if issued_on else "",
        "doc_date_short": format_short_date(issued_on) if issued_on else "",
        "doc_year": str((issued_on or datetime.date.today()).year),
    }


def format_place_date_line(header: Header) -> str:
    """Return the place-and-date line even for kinds whose doc type has none (reports)."""
    if header.doc_type.has_date_line:
        return header.place_date_line

    return format_place_date(clean_line(header.place), header.issued_on, header.year_hint)


def chosen_legal_basis(
    manifest: Manifest, header: Mapping[str, Any], on: datetime.date | None = None
) -> list[str]:
    """Return the codes of the instruments a document cites (see :mod:`domain.legal_basis`).

    The clerk's choice (``header["legal_basis"]``) when the document has one; otherwise the
    suggestion for the kind, the date (today for a draft), the trích yếu and the rule set in
    force, which is what a new form offers ticked and what documents made by the dossier or
    from a superior's plan store.
    """
    if not any(f.name == "can_cu" for f in manifest.header_fields):
        return []
    chosen = header.get("legal_basis")
    if isinstance(chosen, list | tuple):
        return [clean_line(str(code)) for code in chosen if clean_line(str(code))]
    # A kind's documents may cite another list: the dossier's Quyết định công nhận sáng kiến
    # is a quyet_dinh that rests on the Điều lệ Sáng kiến, not on the emulation law.
    kind = clean_line(header.get("legal_basis_kind")) or manifest.header.legal_basis_kind
    if not kind:
        return []
    day = on or parse_date(header.get("date"), "Ngày ban hành") or datetime.date.today()
    items = legal_basis.suggested_instruments(
        kind, day, clean_line(header.get("summary")), _ruleset_instruments(day)
    )
    return [item.code for item in items]


def _ruleset_instruments(day: datetime.date) -> tuple[str, ...] | None:
    from domain.emulation.errors import NoRuleSetError
    from domain.emulation.rulesets import ruleset_for

    try:
        return ruleset_for(day).instruments
    except NoRuleSetError:
        return None


def _can_cu(
    manifest: Manifest,
    header: Mapping[str, Any],
    body: Mapping[str, Any],
    issued_on: datetime.date | None,
) -> list[str]:
    if not any(f.name == "can_cu" for f in manifest.header_fields):
        return []
    day = issued_on or datetime.date.today()
    dates = {
        str(code): parse_date(value, "Ngày ban hành của văn bản căn cứ")
        for code, value in (header.get("legal_basis_dates") or {}).items()
    }
    lines = legal_basis.citation_lines(
        chosen_legal_basis(manifest, header, day), day, dates, as_lines(header.get("can_cu"))
    )
    closing = _closing_line(manifest, body)
    if closing:
        return [*lines, closing]
    if lines:
        # Without a "Theo đề nghị" line the last căn cứ closes the block (Mục II.6).
        lines[-1] = lines[-1].rstrip(" ;.,") + "."
    return lines


def _closing_line(manifest: Manifest, body: Mapping[str, Any]) -> str:
    """ "Theo đề nghị của … ." after the căn cứ: the form asks only who proposes."""
    value = clean_line(body.get("theo_de_nghi")).rstrip(" .;,")
    if not value:
        return ""
    try:
        spec = manifest.get("theo_de_nghi")
    except KeyError:
        return value + "."
    who = spec.without_lead(value)
    return f"{spec.lead} {who}." if spec.lead and who else value + "."


def _body_context(manifest: Manifest, body: Mapping[str, Any]) -> dict[str, Any]:
    missing = [f.label for f in manifest.fields if f.required and is_empty(body.get(f.name))]
    if missing:
        raise RenderError("Chưa nhập: " + "; ".join(missing) + ".")
    values = {f.name: _field_value(f, body.get(f.name)) for f in manifest.fields}
    for item in manifest.fields:
        if item.lead and item.type in ("text", "textarea"):
            values[item.name] = item.without_lead(values[item.name])
    for item in manifest.fields:
        if item.type == "date":
            day = parse_date(body.get(item.name), item.label)
            values[f"{item.name}_short"] = format_short_date(day) if day else ""
    return values


def _field_value(field: Field, value: Any) -> Any:
    if field.type == "list":
        rows = []
        for index, raw in enumerate(value or (), start=1):
            row = {c.name: _scalar(c.type, c.label, raw.get(c.name)) for c in field.columns}
            row["stt"] = str(index)
            if field.numbering == "roman":
                row["number"] = _ROMAN[index - 1] if index <= len(_ROMAN) else str(index)
            rows.append(row)
        return rows
    return _scalar(field.type, field.label, value)


def _scalar(kind: str, label: str, value: Any) -> str:
    if is_empty(value):
        return ""
    if kind == "date":
        day = parse_date(value, label)
        assert day is not None  # not empty, checked above
        return format_date_words(day)
    if kind == "int":
        number = _int_or_none(value, label)
        return "" if number is None else str(number)
    return nfc(str(value)).strip()


def _int_or_none(value: Any, label: str = "Số văn bản") -> int | None:
    if is_empty(value):
        return None
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise RenderError(f"“{label}” phải là số nguyên: “{value}”.") from exc


def as_lines(value: Any) -> list[str]:
    """Return non-empty lines from a list or from text with one item per line."""
    if is_empty(value):
        return []
    items: Sequence[Any] = value if isinstance(value, list | tuple) else str(value).splitlines()
    return [clean_line(str(item)) for item in items if clean_line(str(item))]


def sample_context(kind: str) -> dict[str, Any]:
    """Return the full template context for the kind's sample data.

    Raises:
        RenderError: if the sample does not satisfy the manifest.
    """
    return build_context_from_sample(load_manifest(kind))
