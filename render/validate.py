"""Check a custom .docx template uploaded by an admin before it may replace an official one.

A template is executable text: it is refused unless it is a real, reasonably sized .docx,
its Jinja tags parse, it only uses the variables the kind's form provides, it never touches
attributes starting with "_" (the usual sandbox escape route), and a trial render with the
sample data succeeds. Rendering later still happens in the sandbox.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from dataclasses import field

from docx import Document
from jinja2 import TemplateSyntaxError
from jinja2 import meta
from jinja2 import nodes

from render.context import COMMON_VARIABLES
from render.engine import make_environment
from render.engine import open_template
from render.engine import render_docx
from render.errors import RenderError
from render.manifest import KINDS
from render.manifest import load_manifest
from render.manifest import sample_context

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_RATIO = 100  # uncompressed/compressed, per member; XML rarely exceeds 20
_REQUIRED_MEMBERS = ("[Content_Types].xml", "word/document.xml")
_MACRO_TYPE = "macroEnabled"
_CHUNK = 64 * 1024


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


def validate_template(kind: str, data: bytes) -> ValidationResult:
    """Check an uploaded template for ``kind``.

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
    env = make_environment()
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        result.reasons.append(_syntax_message(exc, source))
        return result
    result.variables = meta.find_undeclared_variables(tree)
    result.reasons.extend(_private_access(tree))
    result.reasons.extend(_unknown_variables(kind, result.variables))
    if result.reasons:
        return result
    result.reasons.extend(_trial_render(kind, data))
    return result


def check_package(data: bytes) -> str:
    """Return why ``data`` is not a safe .docx package, or ``""`` if it is one."""
    if len(data) > MAX_UPLOAD_BYTES:
        return f"Tệp mẫu quá lớn (tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB)."
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return "Tệp không phải là tệp Word .docx (có thể là tệp .doc cũ hoặc tệp đã đổi tên)."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_members(archive)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return "Tệp .docx bị hỏng, không đọc được."


def _check_members(archive: zipfile.ZipFile) -> str:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return "Tệp .docx chứa quá nhiều thành phần; nghi ngờ tệp nén độc hại."
    names = {m.filename for m in members}
    if any(name not in names for name in _REQUIRED_MEMBERS):
        return "Tệp không phải là tệp Word .docx (thiếu nội dung văn bản word/document.xml)."
    total = 0
    for member in members:
        if member.filename.startswith(("/", "\\")) or ".." in member.filename.split("/"):
            return "Tệp .docx chứa đường dẫn không hợp lệ."
        size = 0
        with archive.open(member) as stream:
            # Count real bytes: the sizes declared in the zip directory can lie.
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                total += len(chunk)
                if total > MAX_UNCOMPRESSED_BYTES or size > MAX_RATIO * max(
                    member.compress_size, 1024
                ):
                    return "Tệp .docx giải nén ra quá lớn; nghi ngờ tệp nén độc hại (zip bomb)."
        if member.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in _head(archive, member):
            return "Tệp .docx chứa khai báo DOCTYPE không được phép."
    content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    if _MACRO_TYPE in content_types or "word/vbaProject.bin" in names:
        return "Mẫu văn bản chứa macro (.docm); chỉ chấp nhận tệp .docx không có macro."
    for name in sorted(names):
        if name.endswith(".rels"):
            target = _external_target(archive.read(name).decode("utf-8", "replace"))
            if target:
                return (
                    f"Mẫu văn bản liên kết tới tệp bên ngoài ({target[:80]}); Word sẽ tự tải "
                    "tệp đó khi mở văn bản, có thể bị lợi dụng để cài mã độc. Hãy gỡ liên kết "
                    "(mẫu đính kèm, đối tượng nhúng) rồi tải lên lại."
                )
    return ""


# Word fetches these external targets by itself when a document opens (remote template
# injection); hyperlinks are only followed when the reader clicks them.
_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*>", re.S)


def _external_target(rels_xml: str) -> str:
    for tag in _RELATIONSHIP.findall(rels_xml):
        if 'TargetMode="External"' in tag and not re.search(r'Type="[^"]*/hyperlink"', tag):
            target = re.search(r'Target="([^"]*)"', tag)
            return target.group(1) if target else "?"
    return ""


def _head(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    with archive.open(member) as stream:
        return stream.read(4096)


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
        else:
            name = node.name
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


def _trial_render(kind: str, data: bytes) -> list[str]:
    try:
        rendered = render_docx(data, sample_context(kind))
        Document(io.BytesIO(rendered))
    except RenderError as exc:
        return [f"Thử tạo văn bản với dữ liệu mẫu không thành công: {exc.message}"]
    except Exception as exc:  # noqa: BLE001 - any failure of a foreign template is a refusal
        return [f"Thử tạo văn bản với dữ liệu mẫu không thành công ({type(exc).__name__})."]
    return []
