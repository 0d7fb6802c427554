"""Facts about a candidate and the result type of every check.

Facts are plain frozen dataclasses filled from forms or the database. ``None`` always
means "not known yet": a check then reports an ``info`` finding ("chưa đủ thông tin")
instead of silently passing. Ratings and discipline levels accept either the ASCII code
or the Vietnamese label ("Hoàn thành tốt nhiệm vụ").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from domain.emulation.errors import InvalidFactsError
from domain.text import clean_line
from domain.text import fold

Severity = Literal["error", "warning", "info"]
MISSING_FACT = "Chưa đủ thông tin: "

# Mức độ hoàn thành nhiệm vụ, highest first (Luật 2022 Điều 23–24 use these levels).
RATINGS: dict[str, str] = {
    "htxs": "Hoàn thành xuất sắc nhiệm vụ",
    "htt": "Hoàn thành tốt nhiệm vụ",
    "ht": "Hoàn thành nhiệm vụ",
    "kht": "Không hoàn thành nhiệm vụ",
}
_RATING_RANK = {code: rank for rank, code in enumerate(reversed(list(RATINGS)))}

NOT_DISCIPLINED = "khong"
# Hình thức kỷ luật, mildest first (công chức and viên chức share this order).
DISCIPLINE_LEVELS: dict[str, str] = {
    NOT_DISCIPLINED: "Không bị kỷ luật",
    "khien_trach": "Khiển trách",
    "canh_cao": "Cảnh cáo",
    "ha_bac_luong": "Hạ bậc lương",
    "giang_chuc": "Giáng chức",
    "cach_chuc": "Cách chức",
    "buoc_thoi_viec": "Buộc thôi việc",
}
_DISCIPLINE_RANK = {code: rank for rank, code in enumerate(DISCIPLINE_LEVELS)}

# Phạm vi công nhận sáng kiến / đề tài, narrowest first (Luật 2022 Điều 21–23).
INITIATIVE_SCOPES: dict[str, str] = {
    "co_so": "cấp cơ sở",
    "bo_tinh": "cấp bộ, ban, ngành, tỉnh",
    "toan_quoc": "toàn quốc",
}
_SCOPE_RANK = {code: rank for rank, code in enumerate(INITIATIVE_SCOPES)}


@dataclass(frozen=True)
class Finding:
    """One observation of a check.

    Attributes:
        code: stable ASCII key (``"LDTT_RATING"``) the UI may use to group or translate.
        severity: ``"error"`` (not eligible), ``"warning"`` (clerk should review) or
            ``"info"`` (missing facts or a reminder).
        message_vi: Vietnamese sentence for the clerk.
        legal_basis: the clause or setting the finding rests on.
    """

    code: str
    severity: Severity
    message_vi: str
    legal_basis: str


def has_errors(findings: list[Finding]) -> bool:
    """Return True if any finding is an error (the candidate is not eligible)."""
    return any(f.severity == "error" for f in findings)


def missing_fact(code: str, detail: str, basis: str) -> Finding:
    """Return the ``info`` finding for a fact that is not known yet ("Chưa đủ thông tin")."""
    return Finding(code, "info", MISSING_FACT + detail, basis)


def parse_rating(value: str | None) -> str | None:
    """Return the rating code for a code or a Vietnamese label; blank or ``None`` → ``None``.

    Raises:
        InvalidFactsError: for text that is neither.
    """
    return _parse_choice(value, RATINGS, "mức độ hoàn thành nhiệm vụ")


def parse_discipline(value: str | None) -> str | None:
    """Return the discipline code for a code or label (``"Cảnh cáo"`` → ``"canh_cao"``).

    Raises:
        InvalidFactsError: for text that is neither.
    """
    return _parse_choice(value, DISCIPLINE_LEVELS, "hình thức kỷ luật")


def parse_initiative_scope(value: str | None) -> str | None:
    """Return the scope code for a code or label (``"cấp cơ sở"`` → ``"co_so"``).

    Raises:
        InvalidFactsError: for text that is neither.
    """
    return _parse_choice(value, INITIATIVE_SCOPES, "phạm vi công nhận sáng kiến")


def rating_at_least(rating: str, minimum: str) -> bool:
    """Return True if ``rating`` is ``minimum`` or better (both are codes)."""
    return _RATING_RANK[rating] >= _RATING_RANK[minimum]


def discipline_at_least(level: str, minimum: str) -> bool:
    """Return True if ``level`` is ``minimum`` or more severe (both are codes)."""
    return _DISCIPLINE_RANK[level] >= _DISCIPLINE_RANK[minimum]


def scope_at_least(scope: str, minimum: str) -> bool:
    """Return True if an initiative recognised at ``scope`` covers ``minimum``."""
    return _SCOPE_RANK[scope] >= _SCOPE_RANK[minimum]


@dataclass(frozen=True)
class IndividualFacts:
    """What is known about one person for one round (``None`` = not known).

    Attributes:
        rating: mức độ hoàn thành nhiệm vụ of the year (code or label).
        lao_dong_tien_tien_met: already found to meet the LĐTT standard; when ``None`` the
            CSTĐCS check evaluates the LĐTT criteria itself from the other facts.
        initiative_recognised: has a sáng kiến recognised (at least at cơ sở level).
        research_accepted: has an accepted đề tài/đề án/công trình KH&CN.
        disciplined_level: heaviest discipline in the period; ``"khong"`` when none.
        months_worked: months worked in the period (new hires).
        absent_working_days: working days absent; maternity leave is working time
            (NĐ 152/2025 Điều 4) and must not be counted here.
        consecutive_cstdcs: consecutive years with CSTĐCS up to this round.
        consecutive_cstd_higher: consecutive CSTĐ bộ/ngành/tỉnh titles up to this round.
        initiative_scope: widest scope at which a sáng kiến/đề tài was recognised.
    """

    rating: str | None = None
    lao_dong_tien_tien_met: bool | None = None
    initiative_recognised: bool | None = None
    research_accepted: bool | None = None
    disciplined_level: str | None = None
    months_worked: int | None = None
    absent_working_days: int | None = None
    consecutive_cstdcs: int | None = None
    consecutive_cstd_higher: int | None = None
    initiative_scope: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "rating", parse_rating(self.rating))
        object.__setattr__(self, "disciplined_level", parse_discipline(self.disciplined_level))
        object.__setattr__(self, "initiative_scope", parse_initiative_scope(self.initiative_scope))
        _require_non_negative(
            ("số tháng công tác", self.months_worked),
            ("số ngày nghỉ làm việc", self.absent_working_days),
            ("số năm liên tục đạt CSTĐCS", self.consecutive_cstdcs),
            ("số lần liên tục đạt CSTĐ cấp bộ, ngành, tỉnh", self.consecutive_cstd_higher),
        )
        if self.months_worked is not None and self.months_worked > 12:
            raise InvalidFactsError("Số tháng công tác trong năm không thể vượt quá 12.")


@dataclass(frozen=True)
class CollectiveFacts:
    """What is known about one collective (tổ, trường, …) for one round.

    Attributes:
        member_count: number of members considered.
        ldtt_count: members awarded (or proposed for) Lao động tiên tiến.
        completed_tasks_count: members rated "Hoàn thành nhiệm vụ" or better.
        cstdcs_count: members awarded (or proposed for) Chiến sĩ thi đua cơ sở.
        disciplined_warning_or_above_count: members disciplined at "cảnh cáo" or heavier.
        rating: the collective's own mức độ hoàn thành nhiệm vụ (code or label).
    """

    member_count: int | None = None
    ldtt_count: int | None = None
    completed_tasks_count: int | None = None
    cstdcs_count: int | None = None
    disciplined_warning_or_above_count: int | None = None
    rating: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "rating", parse_rating(self.rating))
        parts = (
            ("số thành viên đạt Lao động tiên tiến", self.ldtt_count),
            ("số thành viên hoàn thành nhiệm vụ", self.completed_tasks_count),
            ("số thành viên đạt Chiến sĩ thi đua cơ sở", self.cstdcs_count),
            ("số thành viên bị kỷ luật", self.disciplined_warning_or_above_count),
        )
        _require_non_negative(("số thành viên", self.member_count), *parts)
        if self.member_count == 0:
            raise InvalidFactsError("Tập thể phải có ít nhất 01 thành viên.")
        for label, count in parts:
            if count is not None and self.member_count is not None and count > self.member_count:
                raise InvalidFactsError(
                    f"{label.capitalize()} ({count}) lớn hơn số thành viên ({self.member_count})."
                )


def _parse_choice(value: str | None, choices: dict[str, str], what: str) -> str | None:
    text = clean_line(value)
    if not text:  # an unanswered <select> posts "": that is "not known", not a bad value
        return None
    if text in choices:
        return text
    key = fold(text)
    for code, label in choices.items():
        if key in (fold(code), fold(label)):
            return code
    allowed = "; ".join(f"{code} ({label})" for code, label in choices.items())
    raise InvalidFactsError(f"Không hiểu {what} “{text}”. Giá trị hợp lệ: {allowed}.")


def _require_non_negative(*items: tuple[str, int | None]) -> None:
    for label, value in items:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise InvalidFactsError(f"{label.capitalize()} phải là số nguyên không âm.")
