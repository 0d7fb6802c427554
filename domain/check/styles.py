"""Effective run and paragraph properties through the WordprocessingML style hierarchy.

Word applies, from weakest to strongest: document defaults (``w:docDefaults``), the table
style, the paragraph style and its ``w:basedOn`` ancestors, the character style and its
ancestors, then direct formatting on the run. A property missing at every level takes
the application default (10 pt, not bold, left-aligned). Theme font references
(``w:asciiTheme="minorHAnsi"``) are resolved through the document's theme part.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from dataclasses import fields
from dataclasses import replace
from typing import TypeVar

from domain.check.package import NS
from domain.check.package import W

DEFAULT_SIZE_PT = 10.0  # ECMA-376 §17.3.2.38: size when w:sz is never specified
_MAX_TWIPS = 31680 * 4  # 4 × the largest Word page side (22 in): anything beyond is damage
_FALSE = {"0", "false", "off"}
_NO_BORDER = {"nil", "none"}


@dataclass(frozen=True)
class RunProps:
    """Run properties; ``None`` means "not specified at this level"."""

    font_ascii: str | None = None
    font_hansi: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    underline: bool | None = None
    color: str | None = None

    def over(self, base: RunProps) -> RunProps:
        """Return ``self`` layered on top of ``base``."""
        return _layer(self, base)


@dataclass(frozen=True)
class ParaProps:
    """Paragraph properties relevant to the decree; ``None`` means "not specified"."""

    jc: str | None = None
    border_bottom: bool | None = None
    first_line_twips: int | None = None
    space_before_twips: int | None = None
    space_after_twips: int | None = None
    line: int | None = None
    line_rule: str | None = None
    num_id: str | None = None
    num_level: int | None = None
    left_twips: int | None = None
    right_twips: int | None = None
    page_break_before: bool | None = None
    center_tab: bool | None = None  # has a centred tab stop (a column centred by tabs)

    def over(self, base: ParaProps) -> ParaProps:
        """Return ``self`` layered on top of ``base``."""
        return _layer(self, base)


_Props = TypeVar("_Props", RunProps, ParaProps)


def _layer(top: _Props, base: _Props) -> _Props:
    changes = {
        f.name: getattr(top, f.name) for f in fields(top) if getattr(top, f.name) is not None
    }
    return replace(base, **changes)


@dataclass(frozen=True)
class _Style:
    style_type: str
    based_on: str | None
    run: RunProps
    para: ParaProps


class StyleSheet:
    """Resolve effective properties for paragraphs and runs of one document."""

    def __init__(self, styles: ET.Element | None, theme: ET.Element | None) -> None:
        self._theme_fonts = _theme_fonts(theme)
        self._styles: dict[str, _Style] = {}
        self._default_para_style: str | None = None
        self.default_run = RunProps()
        self.default_para = ParaProps()
        if styles is None:
            return
        defaults = styles.find(f"{W}docDefaults")
        if defaults is not None:
            self.default_run = self.parse_run(defaults.find(f"{W}rPrDefault/{W}rPr"))
            self.default_para = parse_para(defaults.find(f"{W}pPrDefault/{W}pPr"))
        for node in styles.findall(f"{W}style"):
            style_id = node.get(f"{W}styleId")
            if not style_id:
                continue
            based = node.find(f"{W}basedOn")
            style_type = node.get(f"{W}type", "paragraph")
            self._styles[style_id] = _Style(
                style_type=style_type,
                based_on=based.get(f"{W}val") if based is not None else None,
                run=self.parse_run(node.find(f"{W}rPr")),
                para=parse_para(node.find(f"{W}pPr")),
            )
            if style_type == "paragraph" and node.get(f"{W}default") in ("1", "true", "on"):
                self._default_para_style = style_id

    def paragraph_style(self, style_id: str | None) -> str | None:
        """Return the style that applies to a paragraph (its own or the default one)."""
        if style_id and style_id in self._styles:
            return style_id
        return self._default_para_style

    def style_run(self, style_id: str | None) -> RunProps:
        """Return the run properties a style contributes, ancestors included."""
        result = RunProps()
        for style in reversed(self._chain(style_id)):
            result = style.run.over(result)
        return result

    def style_para(self, style_id: str | None) -> ParaProps:
        """Return the paragraph properties a style contributes, ancestors included."""
        result = ParaProps()
        for style in reversed(self._chain(style_id)):
            result = style.para.over(result)
        return result

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)  # basedOn cycles exist in damaged files
            style = self._styles[style_id]
            chain.append(style)
            style_id = style.based_on
        return chain

    def parse_run(self, rpr: ET.Element | None) -> RunProps:
        """Read a ``w:rPr`` element into :class:`RunProps` (theme fonts resolved)."""
        if rpr is None:
            return RunProps()
        fonts = rpr.find(f"{W}rFonts")
        ascii_font = hansi_font = None
        if fonts is not None:
            ascii_font = self._font(fonts, "ascii")
            hansi_font = self._font(fonts, "hAnsi")
        size = None
        sz = rpr.find(f"{W}sz")
        if sz is not None and sz.get(f"{W}val", "").strip().isdigit():
            size = int(sz.get(f"{W}val", "0")) / 2
        underline = None
        u = rpr.find(f"{W}u")
        if u is not None:
            underline = u.get(f"{W}val", "single") not in ("none", "0")
        color = rpr.find(f"{W}color")
        return RunProps(
            font_ascii=ascii_font,
            font_hansi=hansi_font,
            size=size,
            bold=_toggle(rpr.find(f"{W}b")),
            italic=_toggle(rpr.find(f"{W}i")),
            caps=_toggle(rpr.find(f"{W}caps")),
            underline=underline,
            color=color.get(f"{W}val") if color is not None else None,
        )

    def _font(self, fonts: ET.Element, slot: str) -> str | None:
        theme = fonts.get(f"{W}{slot}Theme")
        if theme:
            return self._theme_fonts.get(theme, theme)
        return fonts.get(f"{W}{slot}")


def parse_para(ppr: ET.Element | None) -> ParaProps:
    """Read a ``w:pPr`` element into :class:`ParaProps`."""
    if ppr is None:
        return ParaProps()
    jc = ppr.find(f"{W}jc")
    border = ppr.find(f"{W}pBdr/{W}bottom")
    ind = ppr.find(f"{W}ind")
    spacing = ppr.find(f"{W}spacing")
    num = ppr.find(f"{W}numPr")
    first_line = left = right = None
    if ind is not None:
        left = _int(ind.get(f"{W}left", ind.get(f"{W}start")))
        right = _int(ind.get(f"{W}right", ind.get(f"{W}end")))
        if ind.get(f"{W}firstLine") is not None:
            first_line = _int(ind.get(f"{W}firstLine"))
        elif ind.get(f"{W}hanging") is not None:
            first_line = -(_int(ind.get(f"{W}hanging")) or 0)
    return ParaProps(
        jc=_alignment(jc.get(f"{W}val")) if jc is not None else None,
        border_bottom=(border.get(f"{W}val", "single") not in _NO_BORDER)
        if border is not None
        else None,
        first_line_twips=first_line,
        space_before_twips=_int(spacing.get(f"{W}before")) if spacing is not None else None,
        space_after_twips=_int(spacing.get(f"{W}after")) if spacing is not None else None,
        line=_int(spacing.get(f"{W}line")) if spacing is not None else None,
        line_rule=spacing.get(f"{W}lineRule") if spacing is not None else None,
        num_id=_val(num.find(f"{W}numId")) if num is not None else None,
        num_level=_int(_val(num.find(f"{W}ilvl"))) if num is not None else None,
        left_twips=left,
        right_twips=right,
        page_break_before=_toggle(ppr.find(f"{W}pageBreakBefore")),
        center_tab=_center_tab(ppr.find(f"{W}tabs")),
    )


def _center_tab(tabs: ET.Element | None) -> bool | None:
    if tabs is None:
        return None
    return any(tab.get(f"{W}val") == "center" for tab in tabs.findall(f"{W}tab"))


def _alignment(value: str | None) -> str | None:
    # Word 2010+ writes "start"/"end" in some files; the checker compares against the
    # transitional names used in domain.layout.Alignment.
    return {"start": "left", "end": "right", "justify": "both"}.get(value or "", value)


def _toggle(node: ET.Element | None) -> bool | None:
    if node is None:
        return None
    return node.get(f"{W}val", "true").lower() not in _FALSE


def _val(node: ET.Element | None) -> str | None:
    return node.get(f"{W}val") if node is not None else None


def _int(value: str | None) -> int | None:
    return twips(value)


_UNIT_TWIPS = {
    "mm": 1440 / 25.4,
    "cm": 1440 / 2.54,
    "in": 1440.0,
    "pt": 20.0,
    "pc": 240.0,
    "pi": 240.0,
}


def twips(value: str | None) -> int | None:
    """Read a measure in twips: a number, or an ISO 29500 universal measure ("30mm",
    "1.5cm", "12pt") as Strict files write them; ``None`` when unreadable or absurd."""
    if value is None:
        return None
    text = value.strip().lower()
    factor = 1.0
    for unit, per in _UNIT_TWIPS.items():
        if text.endswith(unit):
            text, factor = text[: -len(unit)], per
            break
    try:
        number = float(text) * factor
    except ValueError:
        return None
    if not math.isfinite(number) or abs(number) > _MAX_TWIPS:
        return None
    return int(number)


def _theme_fonts(theme: ET.Element | None) -> dict[str, str]:
    if theme is None:
        return {}
    fonts: dict[str, str] = {}
    a = "{" + NS["a"] + "}"
    for kind in ("major", "minor"):
        node = theme.find(f".//{a}{kind}Font")
        if node is None:
            continue
        latin = node.find(f"{a}latin")
        east = node.find(f"{a}ea")
        cs = node.find(f"{a}cs")
        if latin is not None and latin.get("typeface"):
            fonts[f"{kind}HAnsi"] = fonts[f"{kind}Ascii"] = latin.get("typeface", "")
        if east is not None and east.get("typeface"):
            fonts[f"{kind}EastAsia"] = east.get("typeface", "")
        if cs is not None and cs.get("typeface"):
            fonts[f"{kind}Bidi"] = cs.get("typeface", "")
    return fonts
