"""Fields of the NĐ 30 header and title: bodies, số/ký hiệu, place and date, trích yếu."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date

from domain.doc_types import DOC_TYPES
from domain.doc_types import doc_type_by_name
from domain.text import fold
from domain.text import upper_vi
from ingest.gazetteer import PROVINCES
from ingest.gazetteer import restore_name
from ingest.patterns import PARTY
from ingest.patterns import PLACE_DATE
from ingest.patterns import QUOC_HIEU
from ingest.patterns import TIEU_NGU
from ingest.patterns import UNION
from ingest.patterns import VV_LINE
from ingest.reading import DocLine
from ingest.reading import Document

_SO = re.compile(
    r"^\s*(?:Số|SỐ)\s*[:.]?\s*(?P<num>\d{1,5})?\s*[.…_]*\s*(?P<sep>[/-])?\s*"
    r"(?P<year>(?:19|20)\d\d\s*/\s*)?"
    r"(?P<sym>[A-ZĐa-zđ][A-Za-zĐđ0-9&\-/.]*(?:\s*[-–—/]\s*[A-ZĐ][A-Za-zĐđ0-9&\-/.]*)*"
    r"[A-Za-zĐđ0-9])?"
)
# A line starting with one of these words starts a new body name; other lines (including
# "TỈNH …", "HUYỆN …", "VÀ ĐÀO TẠO") continue the name above them. Compared without
# diacritics so that OCR slips ("TRƯƠNG") still count.
_ORG_START = re.compile(
    r"^(?:ubnd|uy ban|phong|so|bo|truong|dang bo|chi bo|dang uy|ban|bch|hoi dong|cong doan|"
    r"lien doan|trung tam|doan|lien doi|chi doan|chi doi|hoi|van phong|cuc|vu|tong|hoc vien|"
    r"dai hoc|vien|cong ty|tap doan|to|thu tuong|chinh phu|tap chi|"
    r"(?:tinh|thanh|huyen|quan|xa|phuong|thi) (?:doan|hoi|uy|doi)|thanh doan|tinh doan|"
    r"huyen doan|quan doan|xa doan|thi doan)\b"
)
_PLACE_CONTINUES = re.compile(
    r"^(?:tinh|thanh pho|tp\.?|huyen|quan|thi xa|thi tran|xa|phuong|dac khu)\s"
    r"(?!(?:doan|hoi|uy|doi)\b)"
)
# A name that ends with a dash continues on the next line (joint issuers: "BAN … -" / "SỞ …").
_JOINT_END = re.compile(r"\s[-–—]$|[-–—]$")
_BODY_ISSUER = re.compile(
    r"(?:^|(?<=[.;:]\s)|(?<=,\s))(?P<name>(?:[Tt]rường|Sở|Phòng|Ủy\s+ban|UBND|Ban|BCH|"
    r"Ban\s+Chấp\s+hành|Hội\s+đồng|Công\s+đoàn|Trung\s+tâm|Liên\s+đội|Chi\s+đoàn|Đoàn|"
    r"Hội)\s[^,;:.()]{2,80}?)\s*(?:\([^)]{1,20}\)\s*)?"
    r"(?:xây\s+dựng|ban\s+hành|triển\s+khai|lập|đề\s+ra)\s+(?:[Kk]ế\s+hoạch|[Cc]hương\s+trình|"
    r"[Hh]ướng\s+dẫn|[Qq]uy\s+chế|[Pp]hương\s+án|[Pp]hương\s+hướng)"
)
_PERIOD_PATTERNS = (
    re.compile(r"giai\s+đoạn\s+(\d{4})\s*[-–—]\s*(\d{4})", re.IGNORECASE),
    re.compile(r"năm\s+học\s+(\d{4})\s*[-–—]\s*(\d{4})", re.IGNORECASE),
    re.compile(r"(?<!\d)(\d{4})\s*[-–—]\s*(\d{4})(?!\d)"),
    re.compile(r"năm\s+(\d{4})(?!\s*[-–—]\s*\d)", re.IGNORECASE),
)
_SCHOOL_YEAR = re.compile(r"năm\s+học\s+(\d{4})\s*[-–—]\s*(\d{4})", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_VE_LINE = re.compile(r"^\s*Về\s*(?::|việc\b)")


@dataclass
class HeaderInfo:
    """Header and title fields plus the page/line each came from."""

    values: dict[str, object] = field(default_factory=dict)
    sources: dict[str, dict[str, int]] = field(default_factory=dict)
    issue_year: int | None = None
    school_year: tuple[int, int] | None = None

    def put(self, key: str, value: object, line: DocLine | None) -> None:
        """Store a field and, when known, where it came from."""
        self.values[key] = value
        if line is not None and value is not None:
            self.sources[key] = line.source()


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines: no space after a hyphen glued to a word (``2020-`` + ``2025``)."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if text and not (re.search(r"\S-$", text) and part[:1].isdigit()):
            text += " "
        text += part
    return _SPACES.sub(" ", text).strip()


def parse_header(doc: Document) -> HeaderInfo:
    """Extract the header/title fields of ``doc``."""
    info = HeaderInfo()
    for key in ("number", "symbol", "issuer", "parent_issuer", "place", "issued_date", "title"):
        info.values[key] = None
    names: list[DocLine] = []
    vv_lines: list[DocLine] = []
    in_vv = False
    for line in doc.header_left:
        text = _join_spaced_digits(line.text.strip())
        so = _SO.match(text) if text.startswith(("Số", "SỐ")) else None
        unread = so is not None and (not so["sym"] or not so["sep"] and so["num"] is None)
        if so and unread and "/" in text[so.end() :]:
            # The number is unreadable before the slash ("Số: z4† /CT-UBND", handwritten).
            so = None
        if so and (so["sym"] or so["num"]):
            _number(info, so, line)
            in_vv = False
            rest = text[so.end() :].strip()
            vv = VV_LINE.search(rest) if rest else None
            if vv:
                vv_lines.append(line)
                in_vv = True
            continue
        if VV_LINE.match(text) or (info.values.get("symbol") and _VE_LINE.match(text)):
            # "V/v …", or "Về: …" / "Về việc …" under the Số line of a công văn.
            vv_lines.append(line)
            in_vv = True
            continue
        if in_vv:
            vv_lines.append(line)
            continue
        if text in ("-", "–", "—") and names:
            # The dash of a joint issuer ("BAN … -") printed on a row of its own.
            names[-1] = replace(names[-1], text=names[-1].text + " -")
            continue
        if text in ("*", "***") or PARTY.search(text) or UNION.match(text):
            continue
        if so is None and text.startswith(("Số", "SỐ")) and "/" in text:
            _symbol_only(info, text, line)  # "Số: Đ14/UBND-KTTH": an unreadable handwritten number
            continue
        if info.values.get("symbol") is None and _is_name(text):
            if line.raw is not None and line.raw.meta.get("ocr"):
                text = restore_name(text)  # "TINH QUANG NGAI": OCR drops capitals' diacritics
            names.append(replace(line, text=_strip_noise(text)))
    _bodies(info, names)
    for line in doc.header_right:
        match = PLACE_DATE.search(_join_spaced_digits(line.text))
        if match:
            _place_date(info, match, line)
            break
    _title(info, doc, vv_lines)
    _doc_type(info, doc, bool(vv_lines))
    _period(info, doc)
    if info.values.get("issuer") is None:
        _issuer_from_body(info, doc)
    return info


def _join_spaced_digits(text: str) -> str:
    """ "Số: 9 0 /KHLT", "ngày 0 3 tháng 1 0": digits set apart by letter spacing."""
    return re.sub(r"(?<![\d/])(\d)\s(?=\d(?![\d/]))", r"\1", text)


def _strip_noise(text: str) -> str:
    """Drop OCR debris of the rule under the body name ("NGUYỄN TRÃI x F")."""
    words = text.split()
    tail = 0
    # A digit ends real names ("CĐ HÀNG HẢI 1", "QUẬN 3"); single letters and marks do not.
    # A dash joins a joint issuer to the next line ("BAN AN TOÀN GIAO THÔNG -").
    while (
        tail < len(words)
        and len(words[-1 - tail]) == 1
        and not words[-1 - tail].isdigit()
        and not (tail == 0 and words[-1] in "-–—")
    ):
        tail += 1
    debris = words[len(words) - tail :]
    if tail and any(not w.isalpha() or w.islower() for w in debris):
        words = words[: len(words) - tail]
    return " ".join(words)


def _is_name(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3 or not any(len(w) >= 2 and w.isalpha() for w in text.split()):
        return False  # OCR debris of a rule line ("F", ", -")
    if QUOC_HIEU.search(text) or TIEU_NGU.search(text):
        return False
    upper = sum(1 for c in letters if c.isupper())
    if upper >= len(letters) * 0.7:
        return True
    # "Liên đội trường THCS Đông Hưng A": a body name typed in sentence case.
    return bool(_ORG_START.match(fold(text))) and upper >= len(letters) * 0.25 and len(text) < 80


def _number(info: HeaderInfo, match: re.Match[str], line: DocLine) -> None:
    number, symbol = match["num"], match["sym"]
    if symbol:
        # "KH- THTBS", "GDĐT –KT&KĐCL", "HD – HĐTĐKT": the dash joins the parts, no spaces.
        symbol = re.sub(r"\s*[-–—]\s*", "-", symbol)
        symbol = re.sub(r"\s*/\s*", "/", symbol).strip(".-/")
    if match["year"] and symbol:
        # "Số: 09/2010/QĐ-UBND" (legal acts carry the year): split at the first slash.
        symbol = re.sub(r"\s+", "", match["year"]) + symbol
    if match["sep"] == "-" and symbol and number:
        # Party style "Số 37-HD/BTGDVTW": the type follows the number with a hyphen.
        info.put("number", number, line)
        info.put("symbol", symbol, line)
        return
    if symbol and not match["sep"] and number is None:
        return
    info.put("number", number, line)
    info.put("symbol", symbol or None, line)


_SYMBOL_AFTER_SLASH = re.compile(
    r"/\s*(?P<sym>(?:(?:19|20)\d\d/)?[A-ZĐ][A-Za-zĐđ0-9&.]*(?:\s*[-–—/]\s*[A-ZĐ][A-Za-zĐđ0-9&.]*)*"
    r"[A-Za-zĐđ0-9])"
)


def _symbol_only(info: HeaderInfo, text: str, line: DocLine) -> None:
    """The ký hiệu of a Số line whose number could not be read; the number stays blank."""
    match = _SYMBOL_AFTER_SLASH.search(text)
    if not match:
        return
    symbol = re.sub(r"\s*[-–—]\s*", "-", match["sym"]).strip(".-/")
    info.put("number", None, line)
    info.put("symbol", symbol, line)


def _bodies(info: HeaderInfo, lines: list[DocLine]) -> None:
    if not lines:
        return
    groups: list[list[DocLine]] = []
    bold_known = any(x.bold for x in lines) and not all(x.bold for x in lines)
    for line in lines:
        starts_new = bool(_ORG_START.match(fold(line.text))) or not groups
        if groups and _JOINT_END.search(groups[-1][-1].text):
            starts_new = False  # "BAN AN TOÀN GIAO THÔNG -" / "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
        elif bold_known and groups and groups[-1][-1].bold != line.bold:
            # "ỦY BAN NHÂN DÂN" / "TỈNH BÌNH PHƯỚC" in two weights is still one name.
            starts_new = not _PLACE_CONTINUES.match(fold(line.text))
        elif groups and groups[-1][-1].raw is not None and groups[-1][-1].raw.rule_after:
            starts_new = True
        if starts_new:
            groups.append([line])
        else:
            groups[-1].append(line)
    if bold_known:
        bold_groups = [g for g in groups if all(x.bold for x in g)]
        if bold_groups:
            issuer = bold_groups[-1]
            parents = groups[: groups.index(issuer)]
        else:
            issuer, parents = groups[-1], groups[:-1]
    else:
        issuer, parents = groups[-1], groups[:-1]
    info.put("issuer", upper_vi(join_lines([x.text for x in issuer])), issuer[0])
    if parents:
        flat = [x for g in parents for x in g]
        info.put("parent_issuer", upper_vi(join_lines([x.text for x in flat])), flat[0])


def _clean_place(place: str) -> str:
    words = place.split()
    # Drop leftovers of the left column ("KH-THCSMT Mỹ Phước" when both columns were glued).
    while words and (
        re.search(r"[/\d&]", words[0])
        and not re.fullmatch(r"\d+", words[0])
        or (len(words[0]) > 2 and words[0].isupper() and "-" in words[0])
    ):
        words.pop(0)  # fmt: skip
    return " ".join(words).strip(" ,.")


def _place_date(info: HeaderInfo, match: re.Match[str], line: DocLine) -> None:
    place = _clean_place(match["place"])
    if line.raw is not None and line.raw.meta.get("ocr"):
        # "Quang Ngai" / "Quãng Ngãi": a province's name as it is spelt.
        place = next((p for p in PROVINCES if fold(p) == fold(place)), place)
    info.put("place", place or None, line)
    year = int(match["year"]) if match["year"] else None
    info.issue_year = year
    if match["day"] and match["month"] and year:
        try:
            value = date(year, int(match["month"]), int(match["day"]))
        except ValueError:
            return
        info.put("issued_date", value.isoformat(), line)


def _title(info: HeaderInfo, doc: Document, vv_lines: list[DocLine]) -> None:
    parts: list[str] = []
    source: DocLine | None = None
    if doc.type_line is not None:
        if doc.title_rest:
            parts.append(doc.title_rest)
            source = doc.type_line
        parts += [x.text for x in doc.title_lines]
        source = source or (doc.title_lines[0] if doc.title_lines else None)
    if not parts and vv_lines:
        texts = []
        for line in vv_lines:
            text = line.text
            match = VV_LINE.search(text)
            texts.append(match["rest"] if match else text)
        parts = texts
        source = vv_lines[0]
    title = join_lines(parts).strip(" .;") if parts else None
    info.put("title", title or None, source)


def _doc_type(info: HeaderInfo, doc: Document, has_vv: bool) -> None:
    code = None
    if doc.type_name:
        found = doc_type_by_name(doc.type_name)
        code = found.code if found else ("CV" if doc.type_name == "CÔNG VĂN" else None)
    symbol = info.values.get("symbol")
    if code is None and isinstance(symbol, str):
        head = re.split(r"[-/]", symbol)[0]
        if head in DOC_TYPES and head != "CV":
            code = head
        elif has_vv or symbol:
            code = "CV"
    if code is None and has_vv:
        code = "CV"
    info.put("doc_type", code, doc.type_line)


# A single year in the title names a period for a programme of work ("Công tác thi đua năm
# 2018"), not for one event held that year ("Kỳ thi tốt nghiệp THPT năm 2024").
_EVENT = re.compile(
    r"\b(?:kỳ\s+thi|cuộc\s+thi|hội\s+thi|hội\s+thao|hội\s+diễn|hội\s+nghị|đại\s+hội|lễ|tết|"
    r"mùa|ngày|tháng|giải|liên\s+hoan|kỷ\s+niệm|giỗ|dự\s+toán)\b",
    re.IGNORECASE,
)


def _period(info: HeaderInfo, doc: Document) -> None:
    """The giai đoạn, năm học or year the document covers, as its trích yếu states it."""
    title = str(info.values.get("title") or "")
    period = None
    for index, pattern in enumerate(_PERIOD_PATTERNS):
        match = pattern.search(title)
        if not match:
            continue
        if index == len(_PERIOD_PATTERNS) - 1 and _EVENT.search(title[: match.start()]):
            break
        period = "-".join(g for g in match.groups() if g)
        break
    school = _SCHOOL_YEAR.search(title)
    if not school:
        for paragraph in doc.paragraphs[:8]:
            school = _SCHOOL_YEAR.search(paragraph.text)
            if school:
                break
    if school and int(school[2]) == int(school[1]) + 1:
        # The school year the dates without a year belong to (not the period: a plan for
        # one event of the year names its school year only in passing).
        info.school_year = (int(school[1]), int(school[2]))
    info.put("period", period, doc.type_line)


def _issuer_from_body(info: HeaderInfo, doc: Document) -> None:
    for paragraph in doc.paragraphs[:15]:
        # The name opens a sentence or a clause ("…, Sở Giáo dục và Đào tạo xây dựng Kế hoạch"):
        # "của Ban Thường vụ … hướng dẫn triển khai" names a cited body, not ours.
        match = _BODY_ISSUER.search(paragraph.text)
        if match:
            name = match["name"].strip()
            name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
            info.values["issuer"] = upper_vi(name)
            info.sources["issuer"] = paragraph.source_at(match.start())
            return
