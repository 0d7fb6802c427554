"""Tiny PDFs made in the test: Unicode text lines (DejaVu embedded), page images, widgets.

pdfium writes the pages, so the tests need no office suite: a line is placed at an x/y in
points on an A4 page, an image fills the page like a scan, and a signature-style widget can
carry its own appearance text (as e-signing tools stamp the Số number and the day).
"""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

A4 = (595.0, 842.0)
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
)


def font_file() -> Path:
    """Return a TrueType font with Vietnamese letters installed on this machine."""
    for path in FONT_FILES:
        if path.exists():
            return path
    raise FileNotFoundError("no TrueType font with Vietnamese letters (fonts-dejavu)")


Line = tuple[float, float, str] | tuple[float, float, str, float]


def _add_text(document, page, font, line: Line, render_mode: int = 0) -> None:
    x, y, text = line[0], line[1], line[2]
    size = line[3] if len(line) > 3 else 12.0
    obj = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, ctypes.c_float(size))
    encoded = (text + "\x00").encode("utf-16-le")
    buffer = ctypes.create_string_buffer(encoded)
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    if render_mode:
        pdfium_c.FPDFTextObj_SetTextRenderMode(obj, render_mode)
    # PDF y grows upwards: y is given from the top like pdfplumber's ``top``.
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, A4[1] - y - size)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)


def _load_font(document, path: Path | None = None):
    data = (path or font_file()).read_bytes()
    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = pdfium_c.FPDFText_LoadFont(
        document.raw, buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, 1
    )
    document._font_keepalive = buffer  # pdfium reads the bytes when saving
    return font


def make_pdf(pages: list[dict], font_path: Path | None = None) -> bytes:
    """Build a PDF: each page a dict with ``lines`` (x, y-from-top, text[, size]),
    ``image`` (a PIL image drawn over the whole page) and ``hidden`` (invisible text lines,
    the way a scanner lays its OCR layer over the picture). ``font_path``: a TrueType font
    other than :func:`font_file`'s (one with the letters the test writes)."""
    document = pdfium.PdfDocument.new()
    font = _load_font(document, font_path)
    for spec in pages:
        page = document.new_page(*A4)
        image = spec.get("image")
        if image is not None:
            obj = pdfium.PdfImage.new(document)
            buffer = io.BytesIO()
            image.convert("L").save(buffer, format="JPEG", quality=90)
            buffer.seek(0)
            obj.load_jpeg(buffer, inline=True)
            obj.set_matrix(pdfium.PdfMatrix().scale(A4[0], A4[1]))
            page.insert_obj(obj)
        for line in spec.get("lines", []):
            _add_text(document, page, font, line)
        for line in spec.get("hidden", []):
            _add_text(document, page, font, line, render_mode=3)
        page.gen_content()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def page_image(lines: Line | list[Line], dpi: int = 200) -> Image.Image:
    """Draw text lines on a white A4 page at ``dpi``, as a scanner would see them."""
    scale = dpi / 72.0
    image = Image.new("L", (int(A4[0] * scale), int(A4[1] * scale)), 255)
    draw = ImageDraw.Draw(image)
    for line in lines:
        x, y, text = line[0], line[1], line[2]
        size = line[3] if len(line) > 3 else 12.0
        font = ImageFont.truetype(str(font_file()), int(size * scale))
        draw.text((x * scale, y * scale), text, fill=0, font=font)
    return image


def add_widget(pdf: bytes, page_index: int, rect: tuple[float, float, float, float],
               text: str, *, signature: bool = True) -> bytes:  # fmt: skip
    """Add a form widget whose appearance stream draws ``text`` (Helvetica) in ``rect``.

    ``rect`` is (x0, top, x1, bottom) in points from the top-left, like pdfplumber's boxes.
    """
    from pypdf import PdfReader
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject
    from pypdf.generic import DecodedStreamObject
    from pypdf.generic import DictionaryObject
    from pypdf.generic import FloatObject
    from pypdf.generic import NameObject
    from pypdf.generic import NumberObject
    from pypdf.generic import TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[page_index]
    height = float(page.mediabox.height)
    x0, top, x1, bottom = rect
    width, box = x1 - x0, bottom - top
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    appearance = DecodedStreamObject()
    appearance.set_data(f"BT /Helv 12 Tf 1 4 Td ({text}) Tj ET".encode("latin-1"))
    appearance.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0),
                                              FloatObject(width), FloatObject(box)]),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/Helv"): font})}
            ),
        }
    )  # fmt: skip
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig" if signature else "/Tx"),
            NameObject("/T"): TextStringObject(f"Field{len(page.get('/Annots', []))}"),
            NameObject("/F"): NumberObject(4),
            NameObject("/Rect"): ArrayObject([FloatObject(x0), FloatObject(height - bottom),
                                              FloatObject(x1), FloatObject(height - top)]),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
        }
    )  # fmt: skip
    reference = writer._add_object(widget)
    annots = page.get("/Annots")
    if annots is None:
        page[NameObject("/Annots")] = ArrayObject([reference])
    else:
        annots.get_object().append(reference)
    fields = writer._root_object.get("/AcroForm")
    if fields is None:
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject([reference])}
        )
    else:
        fields.get_object()["/Fields"].append(reference)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
