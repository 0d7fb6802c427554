"""The organization's digital signature on a văn bản kèm theo in a file of its own (issue 17).

NĐ 30/2020 Phụ lục I lays it out for electronic documents: an attachment that is not in
the same file as the document is signed by the Văn thư with the organization's
certificate; the signature sits at the top right of the attachment's first page; the
organization's signature image is not shown; what is shown is the main document's số and
ký hiệu and the signing time (ngày tháng năm; giờ phút giây; Vietnam time zone, ISO 8601),
in Times New Roman, lower case, upright, size 10, black.

The words are the signature's own appearance (pyHanko's text stamp with an embedded,
subset OpenType font), so they are part of what the signature covers, and the time they
show is the signature's signing time itself (the one in its signed attributes), written in
Vietnam time: never a second clock read beside it. Times New Roman is used when the
machine has it, otherwise Liberation Serif, which has its metrics (Debian
``fonts-liberation2``, in packages.txt; LibreOffice renders the documents with it too).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from services.signing import POINTS_PER_MM
from services.signing import VIETNAM
from services.signing import Box
from services.signing import Credential
from services.signing import SigningError
from services.signing import sign_pdf

ATTACHMENT_FIELD = "ChuKyCoQuanVanBanKemTheo"
FONT_SIZE = 10  # pt, NĐ 30 Phụ lục I
LEADING = 12  # pt between the two lines (single spacing at 10 pt)
# Where on the first page: NĐ 30 margins are 20-25 mm at the top and 15-20 mm on the
# right, so the two lines end at the narrowest right margin and sit inside the top one.
RIGHT_MM = 15.0
TOP_MM = 8.0
FONT_FILES = (
    "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
    "/usr/share/fonts/truetype/msttcorefonts/times.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
)
# pyHanko formats the signing time with this before it reaches the stamp; the stamp turns
# it into Vietnam time (the server's clock may be in any zone).
_PYHANKO_TIME = "%Y-%m-%dT%H:%M:%S%z"


@cache
def stamp_font() -> str:
    """The Times-compatible font file the stamp embeds."""
    for path in FONT_FILES:
        if Path(path).is_file():
            return path
    raise SigningError(
        "Máy chủ thiếu phông Times New Roman hoặc Liberation Serif (gói fonts-liberation2) "
        "để trình bày chữ ký số trên văn bản kèm theo."
    )


def vietnam_iso(moment: datetime) -> str:
    """``2026-12-07T16:30:05+07:00``: ISO 8601 to the second, Vietnam time zone."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def _stamp_style(so_ky_hieu: str) -> Any:
    """pyHanko's text stamp: the số/ký hiệu, then the signing time, both at 10 pt."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    @dataclass(frozen=True)
    class AttachmentStampStyle(TextStampStyle):
        """pyHanko's text stamp, its time parameter rewritten in Vietnam time."""

        def create_stamp(self, writer: Any, box: Any, text_params: dict[str, Any]) -> Any:
            moment = datetime.strptime(text_params["ts"], _PYHANKO_TIME)
            return super().create_stamp(writer, box, {**text_params, "ts": vietnam_iso(moment)})

    @dataclass(frozen=True)
    class _Scaled1000Factory(GlyphAccumulatorFactory):
        """pyHanko's embedded-font engine on the font scaled to 1000 units per em.

        pyHanko writes the glyph widths (/W) and the TJ adjustments in the font's own units,
        which PDF reads as thousandths of an em: right for 1000-unit fonts, but Times New
        Roman and Liberation Serif have 2048, and their letters came out twice as far apart.
        """

        text: str = ""  # every character the stamp will draw

        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(_font_at_1000_units(self.text)),
                font_size=self.font_size,
                obj_stream=obj_stream,
            )

    top_right = layout.SimpleBoxLayoutRule(
        x_align=layout.AxisAlignment.ALIGN_MAX,
        y_align=layout.AxisAlignment.ALIGN_MAX,
        margins=layout.Margins(),
        inner_content_scaling=layout.InnerScaling.NO_SCALING,  # 10 pt, never shrunk
    )
    return AttachmentStampStyle(
        # pyHanko interpolates the text once with ``%``: a literal % is doubled.
        stamp_text=so_ky_hieu.replace("%", "%%") + "\n%(ts)s",
        timestamp_format=_PYHANKO_TIME,
        border_width=0,
        background=None,
        inner_content_layout=top_right,
        text_box_style=TextBoxStyle(
            font=_Scaled1000Factory(
                stamp_font(), font_size=FONT_SIZE, text=so_ky_hieu + "0123456789-:+T"
            ),
            font_size=FONT_SIZE,
            leading=LEADING,
            text_color=(0, 0, 0),
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MAX,
                margins=layout.Margins(),
                inner_content_scaling=layout.InnerScaling.NO_SCALING,
            ),
        ),
    )


def _font_at_1000_units(text: str) -> bytes:
    """The stamp's font cut down to the glyphs of ``text`` (pyHanko subsets it again) and
    scaled to 1000 units per em: scaling the whole font takes seconds, a few glyphs not."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    with TTFont(stamp_font()) as font:
        options = subset.Options()
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        if font["head"].unitsPerEm != 1000:
            from fontTools.ttLib.scaleUpem import scale_upem

            scale_upem(font, 1000)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()


def _text_width(text: str) -> float:
    """Width in points of ``text`` at FONT_SIZE, from the font's advance widths."""
    cmap, advances, per_em = _font_metrics()
    units = sum(advances.get(cmap.get(ord(c), ".notdef"), per_em // 2) for c in text)
    return units * FONT_SIZE / per_em


@cache
def _font_metrics() -> tuple[dict[int, str], dict[str, int], int]:
    from fontTools.ttLib import TTFont

    with TTFont(stamp_font(), lazy=True) as font:
        cmap = dict(font.getBestCmap())
        advances = {name: width for name, (width, _) in font["hmtx"].metrics.items()}
        return cmap, advances, int(font["head"].unitsPerEm)


def first_page(pdf: bytes) -> tuple[float, float, float, float]:
    """Page 1's visible box (left, bottom, right, top) in points.

    Raises:
        SigningError: no page, not a PDF, or page 1 is turned by /Rotate: a text stamp on
            it would be drawn turned and in another corner, so it is refused rather than
            signed wrong.
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise SigningError("Không mở được tệp PDF (tệp bị hỏng hoặc có mật khẩu mở).") from exc
    try:
        if len(document) == 0:
            raise SigningError("Tệp PDF không có trang nào.")
        page = document[0]
        if page.get_rotation() % 360:
            raise SigningError(
                "Trang đầu của tệp PDF được xoay (thuộc tính Rotate), nên chữ ký số không "
                "trình bày đúng góc trên, bên phải được. Hãy xuất lại tệp PDF với trang "
                "đặt đúng chiều rồi tải lên lại."
            )
        left, bottom, right, top = page.get_cropbox()
        return float(left), float(bottom), float(right), float(top)
    finally:
        document.close()


def stamp_box(pdf: bytes, lines: list[str]) -> Box:
    """The box of the stamp on page 1: its right edge RIGHT_MM from the page's right edge,
    its top TOP_MM from the top, as wide and tall as the lines at 10 pt."""
    left, bottom, right, top = first_page(pdf)
    width = max(_text_width(line) for line in lines) + 2
    height = LEADING * len(lines) + 3
    x1 = right - RIGHT_MM * POINTS_PER_MM
    y1 = top - TOP_MM * POINTS_PER_MM
    if x1 - width < left or y1 - height < bottom:
        raise SigningError("Trang đầu của tệp PDF quá nhỏ để trình bày chữ ký số.")
    return Box(0, x1 - width, y1 - height, x1, y1)


def sign_attachment(
    pdf: bytes,
    credential: Credential,
    *,
    so_ky_hieu: str,
    organization_name: str,
    timestamp_url: str | None = None,
    trust_roots: Sequence[bytes] = (),
) -> bytes:
    """``pdf`` (an attachment) signed with the organization's ``credential``: no image; its
    main document's ``so_ky_hieu`` and the signing time at the top right of page 1."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.general import SigningError as PyHankoSigningError

    box = stamp_box(pdf, [so_ky_hieu, vietnam_iso(datetime.now(VIETNAM))])
    try:
        return sign_pdf(
            pdf,
            credential,
            field=ATTACHMENT_FIELD,
            box=box,
            image=None,
            name=organization_name,
            reason=f"{organization_name}; văn bản kèm theo văn bản số {so_ky_hieu}",
            timestamp_url=timestamp_url,
            trust_roots=trust_roots,
            stamp_style=_stamp_style(so_ky_hieu),
        )
    except (PdfError, PyHankoSigningError) as exc:
        raise SigningError(
            "Không ký được tệp PDF này (tệp có mật khẩu, bị hỏng hoặc đã khóa không cho "
            "thêm chữ ký). Hãy xuất lại tệp PDF rồi tải lên lại."
        ) from exc
