"""Check a custom .docx template uploaded by an admin before it may replace an official one.

A template is executable text. :func:`check_template` refuses it, without running it (so
it is safe in a web request), unless it is a real, reasonably sized .docx, safe to unzip,
without macros, external links or embedded objects (every relationship part is parsed),
its Jinja tags parse, it only uses the variables the kind's form provides, and it never
touches attributes starting with "_" (the usual sandbox escape route).

Running it is another matter: a template can loop, multiply strings or write a million
paragraphs, on the sample data or only on real data. Every render therefore happens in a
limited child process of the worker (:mod:`worker.render_sandbox`): the trial render with
the sample data is the preview job queued at upload, and
:func:`worker.template_trial.validate_template` (the static check plus that trial render) is
for worker code and tests, never a web request.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from dataclasses import field
from xml.parsers import expat

from jinja2 import TemplateSyntaxError
from jinja2 import meta
from jinja2 import nodes
from jinja2 import pass_context
from jinja2.sandbox import SandboxedEnvironment

from domain import archive as archive_guard
from render.context import COMMON_VARIABLES
from render.context import sample_context
from render.engine import make_environment
from render.engine import open_template
from render.errors import RenderError
from render.manifest import KINDS
from render.manifest import load_manifest

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Decompressed in chunks by the shared guard (domain.archive), counting real bytes.
LIMITS = archive_guard.ArchiveLimits(
    max_members=1000,
    max_total_bytes=60 * 1024 * 1024,
    max_ratio=100,  # uncompressed/compressed, per member; XML rarely exceeds 20
    ratio_exempt_bytes=100 * 1024,
)
_BOMB = "Tệp .docx giải nén ra quá lớn; nghi ngờ tệp nén độc hại (zip bomb)."
_REFUSED = {
    archive_guard.TOO_MANY_MEMBERS: (
        "Tệp .docx chứa quá nhiều thành phần; nghi ngờ tệp nén độc hại."
    ),
    archive_guard.TOO_LARGE: _BOMB,
    archive_guard.PART_TOO_LARGE: _BOMB,
    archive_guard.RATIO: _BOMB,
    archive_guard.DAMAGED: "Tệp .docx bị hỏng, không đọc được.",
}
_REQUIRED_MEMBERS = ("[Content_Types].xml", "word/document.xml")
_MACRO_TYPE = "macroEnabled"
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_DOCTYPE_OVERLAP = 16  # a declaration split between two chunks is still seen


@dataclass
class ValidationResult:
    """Outcome of a template check: ``ok`` when ``reasons`` is empty.

    Attributes:
        reasons: why the template is refused, in Vietnamese.
        variables: the variables the template uses (when it could be parsed).
    """

    reasons: list[str] = field(default_factory=list)
    variables: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """Tell whether the template may be accepted."""
        return not self.reasons


def check_template(kind: str, data: bytes) -> ValidationResult:
    """Check an uploaded template for ``kind`` without running it.

    Args:
        kind: the template kind it would replace (see ``render.manifest.KINDS``).
        data: the uploaded file's bytes.

    Returns:
        A ValidationResult; its ``reasons`` explain every refusal in Vietnamese.
    """
    result = ValidationResult()
    if kind not in KINDS:
        result.reasons.append(f"Không có loại mẫu văn bản “{kind}”.")
        return result
    package_problem = check_package(data)
    if package_problem:
        result.reasons.append(package_problem)
        return result
    try:
        source = template_source(data)
    except RenderError as exc:
        result.reasons.append(exc.message)
        return result
    env = _analysis_environment()
    try:
        tree = env.parse(source)
        result.variables = meta.find_undeclared_variables(tree)
    except TemplateSyntaxError as exc:
        result.reasons.append(_syntax_message(exc, source))
        return result
    except RecursionError:
        result.reasons.append(
            "Mẫu lồng các thẻ {% %} vào nhau quá nhiều tầng; hãy đơn giản hoá mẫu."
        )
        return result
    result.reasons.extend(_private_access(tree))
    result.reasons.extend(_unknown_variables(kind, result.variables))
    return result


def _analysis_environment() -> SandboxedEnvironment:
    """The render environment, made unable to evaluate anything while it compiles.

    Finding a template's variables compiles it, and Jinja's compiler folds constant
    expressions as it goes: ``{{ 'x' * 10**9 }}`` or ``{{ 'x'|center(10**9) }}`` would be
    computed right here, in the web request. Intercepted operators are never folded, and
    neither are filters or tests that take the context, so every operator is intercepted and
    every filter and test is replaced by a context-taking stand-in (never called: this
    environment only parses and compiles).
    """
    env = make_environment()
    env.intercepted_binops = frozenset(env.binop_table)
    env.intercepted_unops = frozenset(env.unop_table)
    env.filters = {name: _never_called for name in env.filters}
    env.tests = {name: _never_called for name in env.tests}
    return env


@pass_context
def _never_called(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the analysis environment never renders")


def check_package(data: bytes) -> str:
    """Return why ``data`` is not a safe .docx package, or ``""`` if it is one."""
    if len(data) > MAX_UPLOAD_BYTES:
        return f"Tệp mẫu quá lớn (tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB)."
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return "Tệp không phải là tệp Word .docx (có thể là tệp .doc cũ hoặc tệp đã đổi tên)."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_members(archive, len(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return "Tệp .docx bị hỏng, không đọc được."


def _check_members(archive: zipfile.ZipFile, archive_bytes: int) -> str:
    try:
        problem = _read_markup(archive, archive_bytes)
    except archive_guard.ArchiveRefused as refused:
        return _REFUSED[refused.kind]
    if problem:
        return problem
    members = archive.infolist()
    names = {m.filename for m in members}
    if len({name.lower() for name in names}) != len(members):
        # Two members of one name (part names ignore case): readers disagree on which
        # counts, so the one checked here need not be the one Word opens.
        return "Tệp .docx chứa hai thành phần trùng tên; nghi ngờ tệp bị sửa để đánh lừa."
    if any(name not in names for name in _REQUIRED_MEMBERS):
        return "Tệp không phải là tệp Word .docx (thiếu nội dung văn bản word/document.xml)."
    for name in names:
        if name.startswith("/") or "\\" in name or ".." in name.split("/"):
            return "Tệp .docx chứa đường dẫn không hợp lệ."
    content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    if _MACRO_TYPE.lower() in content_types.lower() or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        return "Mẫu văn bản chứa macro (.docm); chỉ chấp nhận tệp .docx không có macro."
    for name in sorted(names):
        if name.lower().endswith(".rels"):
            problem = relationship_problem(name, archive.read(name))
            if problem:
                return problem
    return ""


def _read_markup(archive: zipfile.ZipFile, archive_bytes: int) -> str:
    """Decompress every member once through the guard (which raises ArchiveRefused at a
    limit) and look for a DOCTYPE in the XML parts, anywhere in a part, not only its first
    bytes: a long comment may come before the declaration."""
    tail, current = b"", ""
    for member, chunk in archive_guard.read_members(archive, LIMITS, archive_bytes=archive_bytes):
        if member.filename != current:
            tail, current = b"", member.filename
        if member.filename.lower().endswith((".xml", ".rels")) and _DOCTYPE.search(tail + chunk):
            return "Tệp .docx chứa khai báo DOCTYPE không được phép."
        tail = chunk[-_DOCTYPE_OVERLAP:]
    return ""


# Relationship types that make Word load something besides the package itself: a template
# (.dotm, macros included: remote template injection), an OLE object, a frame's page, a
# sub-document.
_REFUSED_TYPES = {
    "attachedtemplate": "mẫu đính kèm (attachedTemplate)",
    "oleobject": "đối tượng nhúng OLE (oleObject)",
    "frame": "khung nạp trang khác (frame)",
    "subdocument": "văn bản con (subDocument)",
}
# A target naming a scheme (http:, file:, mhtml:, a drive letter C:) or a UNC path.
_OUTSIDE_TARGET = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|[\\/]{2})", re.IGNORECASE)


def relationship_problem(name: str, xml: bytes) -> str:
    """Why the relationship part ``name`` makes the template unsafe, or ``""``.

    The part is parsed as XML (no DOCTYPE, no entities), so quoting, whitespace and case
    cannot hide a relationship. Refused: any relationship with a TargetMode other than
    Internal (Word fetches external targets by itself when the document opens: remote
    template injection, or a UNC path that hands out the reader's network password); any
    target that is a URL, a drive or a UNC path; attached templates, OLE objects, frames
    and sub-documents. Hyperlinks included: an official document has no need of one.
    """
    try:
        relationships = parse_relationships(xml)
    except ValueError:
        return (
            f"Tệp .docx có phần quan hệ {name[:80]} không đọc được (XML hỏng hoặc có khai "
            "báo DOCTYPE); hãy lưu lại mẫu bằng Word rồi tải lên lại."
        )
    for relationship in relationships:
        rel_type = relationship.get("type", "").strip().rstrip("/").rsplit("/", 1)[-1]
        mode = relationship.get("targetmode", "").strip()
        target = "".join(relationship.get("target", "").split())
        if rel_type.lower() in _REFUSED_TYPES:
            return (
                f"Mẫu văn bản chứa {_REFUSED_TYPES[rel_type.lower()]}"
                f"{f' trỏ tới {target[:80]}' if target else ''}; Word sẽ tự nạp nội dung đó "
                "khi mở văn bản, có thể bị lợi dụng để cài mã độc. Hãy gỡ nó khỏi mẫu rồi "
                "tải lên lại."
            )
        outside = _OUTSIDE_TARGET.match(target) or "\\" in target
        if (mode and mode.lower() != "internal") or outside:
            return (
                f"Mẫu văn bản liên kết tới tệp hoặc địa chỉ bên ngoài ({target[:80] or '?'}); "
                "Word có thể tự tải nội dung đó khi mở văn bản (lộ mật khẩu mạng, cài mã độc). "
                "Hãy gỡ mọi liên kết ra ngoài (mẫu đính kèm, đối tượng nhúng, siêu liên kết) "
                "rồi tải lên lại."
            )
    return ""


def parse_relationships(xml: bytes) -> list[dict[str, str]]:
    """The attributes (names lower-cased, namespaces dropped) of every ``Relationship``
    element of a relationship part, whatever its namespace or the case of its name.

    Raises:
        ValueError: the part is not well-formed XML, or declares a DOCTYPE or entities.
    """
    parser = expat.ParserCreate(namespace_separator="}")
    found: list[dict[str, str]] = []

    def refuse(*_args: object) -> None:
        raise ValueError("DOCTYPE or entity declaration in a relationship part")

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag.rsplit("}", 1)[-1].lower() == "relationship":
            found.append({k.rsplit("}", 1)[-1].lower(): v for k, v in attributes.items()})

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]  # stub wants an int back
    parser.StartElementHandler = start
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise ValueError(str(exc)) from exc
    return found


def template_source(data: bytes) -> str:
    """Return the Jinja source docxtpl would render: body, headers and footers, patched.

    Raises:
        RenderError: if the package cannot be read as a Word document.
    """
    template = open_template(data)
    parts = [template.patch_xml(template.get_xml())]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _, part in template.get_headers_footers(uri):
            parts.append(template.patch_xml(template.get_part_xml(part)))
    # docxtpl renders the footnotes and the document's core properties too.
    for part in template.docx.part.package.parts:
        if part.content_type.endswith("wordprocessingml.footnotes+xml"):
            blob = part.blob.decode("utf-8", "replace") if isinstance(part.blob, bytes) else ""
            parts.append(template.patch_xml(blob))
    properties = template.docx.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        parts.append(str(getattr(properties, name) or ""))
    return "\n".join(parts)


def _syntax_message(exc: TemplateSyntaxError, source: str) -> str:
    lines = source.splitlines()
    around = ""
    if exc.lineno and 0 < exc.lineno <= len(lines):
        around = re.sub(r"<[^>]+>", "", lines[exc.lineno - 1]).strip()[:80]
    where = f" gần đoạn “{around}”" if around else ""
    return f"Mẫu có thẻ Jinja sai cú pháp{where} (kiểm tra các cặp {{{{ }}}}, {{% %}})."


def _private_access(tree: nodes.Template) -> list[str]:
    found: set[str] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            name = arg.value if isinstance(arg, nodes.Const) and isinstance(arg.value, str) else ""
        elif isinstance(node, nodes.Name):
            name = node.name
        else:
            continue
        if name.startswith("_"):
            found.add(name)
    return [
        f"Mẫu truy cập thuộc tính nội bộ “{name}” (không được phép vì lý do an toàn)."
        for name in sorted(found)
    ]


def allowed_variables(kind: str) -> set[str]:
    """Return every variable a template of ``kind`` may use."""
    manifest = load_manifest(kind)
    return set(COMMON_VARIABLES) | set(sample_context(kind)) | manifest.field_names()


def _unknown_variables(kind: str, used: set[str]) -> list[str]:
    unknown = sorted(used - allowed_variables(kind))
    if not unknown:
        return []
    return [
        f"Mẫu dùng biến không có trong biểu mẫu “{load_manifest(kind).label}”: "
        + ", ".join(unknown)
        + "."
    ]
