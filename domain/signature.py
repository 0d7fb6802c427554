"""Signature block: signing authority, position and signer (NĐ 30/2020, Phụ lục I, II.7; Điều 13).

The block prints upper-case bold lines (quyền hạn + chức vụ) and then, after the space for
the signature and seal, the signer's name in bold ordinary case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from domain.names import strip_honorific
from domain.text import clean_line
from domain.text import nfc
from domain.text import upper_vi


@dataclass(frozen=True)
class Authority:
    """A signing-authority prefix printed before a collective body or a head's title.

    Attributes:
        code: key used in data (``"KT"``).
        prefix: the printed abbreviation with its full stop (``"KT."``).
        name: the Vietnamese phrase it abbreviates.
        meaning: when it is used, in Vietnamese.
        before_collective: True when the prefix precedes the collective's name (TM.),
            False when it precedes the head's title (KT., Q., TL., TUQ.).
    """

    code: str
    prefix: str
    name: str
    meaning: str
    before_collective: bool = False


AUTHORITIES: dict[str, Authority] = {
    a.code: a
    for a in (
        Authority(
            "TM", "TM.", "thay mặt",
            "Ký thay mặt tập thể lãnh đạo hoặc cơ quan, tổ chức (ví dụ Hội đồng).",
            before_collective=True,
        ),
        Authority("KT", "KT.", "ký thay", "Cấp phó ký thay người đứng đầu cơ quan, tổ chức."),
        Authority("Q", "Q.", "quyền", "Người được giao quyền cấp trưởng."),
        Authority(
            "TL", "TL.", "thừa lệnh",
            "Người đứng đầu đơn vị ký thừa lệnh người đứng đầu cơ quan (theo quy chế).",
        ),
        Authority(
            "TUQ", "TUQ.", "thừa ủy quyền",
            "Người được ủy quyền bằng văn bản, có thời hạn; không ủy quyền lại.",
        ),
    )
}  # fmt: skip

# Học hàm, học vị and honorific titles that must not precede the signer's name (Mục II.7.c).
# Longest first so that "PGS.TS." is reported as itself, not as "PGS.".
ACADEMIC_TITLES: tuple[str, ...] = (
    "PGS.TS.", "GS.TS.", "GS.TSKH.", "PGS.", "GS.", "TSKH.", "TS.", "ThS.", "CN.", "KS.",
    "BS.", "DS.", "NGND.", "NGƯT.", "NGND", "NGƯT", "Giáo sư", "Phó Giáo sư", "Phó giáo sư",
    "Tiến sĩ", "Tiến sỹ", "Thạc sĩ", "Thạc sỹ", "Cử nhân", "Kỹ sư", "Nhà giáo Nhân dân",
    "Nhà giáo Ưu tú", "Nhà giáo ưu tú",
)  # fmt: skip

_PREFIX_WITHOUT_STOP = re.compile(r"^(TM|KT|Q|TL|TUQ)(?=\s)")
# "KT.HIỆU TRƯỞNG", "TM.ỦY BAN NHÂN DÂN": the abbreviation glued to the title.
_GLUED_PREFIX = re.compile(r"^(TM|KT|Q|TL|TUQ)\.(?=[^\s.])")
_ANY_PREFIX = re.compile(r"^(TM|KT|Q|TL|TUQ)\s*\.*\s*(?=\S)")


@dataclass(frozen=True)
class SignatureBlock:
    """Who signs and in what capacity.

    Examples::

        SignatureBlock("TM", "Hội đồng Thi đua - Khen thưởng", "Chủ tịch", "Lê Văn An")
            → ["TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "CHỦ TỊCH"]
        SignatureBlock("KT", "Hiệu trưởng", "Phó Hiệu trưởng", "Trần Thị Bình")
            → ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"]
        SignatureBlock(None, "", "Hiệu trưởng", "Lê Văn An") → ["HIỆU TRƯỞNG"]
        SignatureBlock("TM", "Ủy ban nhân dân", "Phó Chủ tịch", "…",
                       sub_authority="KT", head_title="Chủ tịch")
            → ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]

    Attributes:
        authority: a key of :data:`AUTHORITIES` or ``None`` when the head signs directly.
        collective_or_head_title: the collective (TM.) or the head's title (KT., Q., TL.,
            TUQ.) the prefix applies to.
        position: the signer's own position (chức vụ).
        signer_name: họ và tên, without học hàm/học vị.
        sub_authority: a second prefix under TM. (e.g. ``"KT"`` for a deputy chairman).
        head_title: the title the second prefix applies to.
    """

    authority: str | None
    collective_or_head_title: str
    position: str
    signer_name: str
    sub_authority: str | None = None
    head_title: str = ""

    @classmethod
    def from_header(cls, fields: Mapping[str, object]) -> SignatureBlock:
        """The block a document's header fields describe (``signer_authority``,
        ``signer_collective``, ``signer_position``, ``signer_name``): what the template
        prints and what digital signing looks for on the page."""

        def line(key: str) -> str:
            value = fields.get(key)
            return clean_line(value if isinstance(value, str) else None)

        return cls(
            line("signer_authority") or None,
            line("signer_collective"),
            line("signer_position"),
            line("signer_name"),
        )

    @property
    def authority_lines(self) -> list[str]:
        """Return the upper-case quyền hạn / chức vụ lines, top to bottom."""
        position = upper_vi(clean_line(self.position))
        if not self.authority:
            return [position] if position else []
        lines = [f"{_prefix(self.authority)} {upper_vi(clean_line(self.collective_or_head_title))}"]
        if self.sub_authority:
            lines.append(f"{_prefix(self.sub_authority)} {upper_vi(clean_line(self.head_title))}")
        if position and position != _strip_prefix(lines[-1]):
            lines.append(position)
        return lines

    @property
    def name_line(self) -> str:
        """Return the signer's name as printed (bold, ordinary case), without "Ông"/"Bà"."""
        return strip_honorific(self.signer_name)

    @property
    def lines(self) -> list[str]:
        """Return every printed line: authority lines, then the name."""
        name = self.name_line
        return self.authority_lines + ([name] if name else [])

    def problems(self, allow_academic_titles: bool = False) -> list[str]:
        """Return Vietnamese descriptions of what is wrong (empty when valid).

        Args:
            allow_academic_titles: accept học hàm/học vị before the name, which the head
                of the education, health or science sector may allow (Mục II.7.c).
        """
        found: list[str] = []
        for code in (self.authority, self.sub_authority):
            if code and code not in AUTHORITIES:
                found.append(f"Quyền hạn ký “{code}” không thuộc TM., KT., Q., TL., TUQ.")
        if self.authority and not clean_line(self.collective_or_head_title):
            found.append("Chưa ghi tên tập thể hoặc chức vụ người đứng đầu sau quyền hạn ký.")
        if self.sub_authority and not clean_line(self.head_title):
            found.append("Chưa ghi chức vụ người đứng đầu sau quyền hạn ký thứ hai.")
        if not self.authority and not clean_line(self.position):
            found.append("Chưa ghi chức vụ của người ký.")
        if self.authority == "KT" and upper_vi(clean_line(self.position)) == upper_vi(
            clean_line(self.collective_or_head_title)
        ):
            found.append("Ký thay (KT.) là cấp phó ký thay cấp trưởng: chức vụ phải là cấp phó.")
        found.extend(name_problems(self.signer_name, allow_academic_titles))
        return found


def name_problems(name: str, allow_academic_titles: bool = False) -> list[str]:
    """Check a signer's name line (Mục II.7.c–đ) and return Vietnamese problems."""
    name = clean_line(name)
    if not name:
        return ["Chưa ghi họ tên người ký."]
    found: list[str] = []
    title = academic_title_prefix(name)
    if title and not allow_academic_titles:
        found.append(
            f"Không ghi học hàm, học vị, danh hiệu (“{title}”) trước họ tên người ký "
            "(Phụ lục I, Mục II.7.c)."
        )
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        found.append("Họ tên người ký viết chữ in thường (hoa chữ cái đầu), không in hoa toàn bộ.")
    return found


def academic_title_prefix(name: str) -> str | None:
    """Return the học hàm/học vị that ``name`` starts with, or ``None``."""
    name = clean_line(name)
    for title in ACADEMIC_TITLES:
        if name.startswith(title) and (
            title.endswith(".") or len(name) == len(title) or not name[len(title)].isalpha()
        ):
            return title
    return None


def prefix_without_stop(line: str) -> str | None:
    """Return ``"KT"`` if ``line`` starts with an authority code lacking its full stop."""
    match = _PREFIX_WITHOUT_STOP.match(nfc(line).strip())
    return match.group(1) if match else None


def glued_prefix(line: str) -> str | None:
    """Return ``"KT"`` if ``line`` glues the authority to the title ("KT.HIỆU TRƯỞNG")."""
    match = _GLUED_PREFIX.match(nfc(line).strip())
    return match.group(1) if match else None


def authority_line(line: str) -> str:
    """Return a signing-authority line as printed: the abbreviation with its full stop and
    one space, the rest upper-case ("KT.Hiệu trưởng", "KT HIỆU TRƯỞNG" → "KT. HIỆU TRƯỞNG")."""
    text = clean_line(line)
    match = _ANY_PREFIX.match(text)
    if match is None:
        return upper_vi(text)
    return f"{_prefix(match.group(1))} {upper_vi(text[match.end() :])}"


def _prefix(code: str) -> str:
    authority = AUTHORITIES.get(code)
    return authority.prefix if authority else f"{code}."


def _strip_prefix(line: str) -> str:
    return line.split(" ", 1)[1] if " " in line else line
