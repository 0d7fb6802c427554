"""The one guard against hostile ZIP archives (.docx, .xlsx): zip bombs and damaged files.

Every reader of an uploaded Office file goes through it: the format checker
(``domain.check.package``), the template validator (``render.validate``), the plan parser's
Word reader (``ingest.docx_text``) and the staff-list import (``services.spreadsheets``). Each
passes its own :class:`ArchiveLimits` (a template, a plan and a spreadsheet differ in what a
real file holds) and turns :class:`ArchiveRefused` into its own Vietnamese message.

How it counts: the sizes in a ZIP's central directory are written by whoever made the file
and can lie, so they are used only to refuse early (an archive that *declares* too much is
refused without reading it); then every member is decompressed in chunks, counting the bytes
that really come out, and reading stops at the first chunk past a limit, so nothing much
beyond a limit is ever held in memory. A member that understates its size ends in a CRC or
length error (refused as damaged, never trusted); one that overstates its compressed size to
hide its ratio is measured against the size of the whole file, which no member can exceed.

Why here: ``domain/`` is the lowest layer, importable by services, render and ingest alike,
and must stay pure standard library (``tests/domain_format/test_domain_is_pure.py``); this
module needs only :mod:`zipfile`, and the checker in ``domain.check`` is one of its users, so
it cannot live any higher. It is not a rule of the domain, but a pure helper every layer shares.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

CHUNK_BYTES = 64 * 1024
MIB = 1024 * 1024

# Why an archive was refused (stable codes; each caller words its own message).
NOT_ZIP = "not_zip"  # no ZIP directory at all
DAMAGED = "damaged"  # a member cannot be decompressed (bad data, CRC, encryption, method)
TOO_MANY_MEMBERS = "too_many_members"
TOO_LARGE = "too_large"  # the members together expand past the total limit
PART_TOO_LARGE = "part_too_large"  # one member expands past max_member_bytes
RATIO = "ratio"  # a member expands far more than real documents do


@dataclass(frozen=True)
class ArchiveLimits:
    """What one kind of upload may expand to.

    Attributes:
        max_members: most members (files) in the archive.
        max_total_bytes: most bytes all members together may decompress to.
        max_ratio: most a member may expand: bytes out over compressed bytes in. ``None``: no
            ratio limit (the total limit alone guards).
        ratio_exempt_bytes: a member may always decompress to this many bytes, whatever its
            ratio (a small, very repetitive XML part is normal).
        max_member_bytes: most bytes one member may decompress to; ``None``: only the total.
    """

    max_members: int
    max_total_bytes: int
    max_ratio: float | None = None
    ratio_exempt_bytes: int = MIB
    max_member_bytes: int | None = None


class ArchiveRefused(Exception):
    """The archive is not read: ``kind`` says why (one of the codes above)."""

    def __init__(self, kind: str, member: str = "") -> None:
        super().__init__(f"{kind}: {member}" if member else kind)
        self.kind = kind
        self.member = member


def _over(limits: ArchiveLimits, compressed: int, size: int) -> str:
    """The code of the limit that ``size`` bytes out of a member of ``compressed`` bytes
    break, or ``""``. The ratio is told first: it names a bomb for what it is."""
    if limits.max_ratio is not None and size > max(
        limits.max_ratio * compressed, limits.ratio_exempt_bytes
    ):
        return RATIO
    if limits.max_member_bytes is not None and size > limits.max_member_bytes:
        return PART_TOO_LARGE
    return ""


def read_members(
    archive: zipfile.ZipFile, limits: ArchiveLimits, *, archive_bytes: int
) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    """Decompress every member of ``archive`` in order, yielding ``(member, chunk)``.

    ``archive_bytes`` is the size of the whole file: no member can really hold more
    compressed bytes than that, whatever its header says.

    Raises:
        ArchiveRefused: at the first limit passed (declared or real), or on damaged data.
    """
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise ArchiveRefused(TOO_MANY_MEMBERS)
    # Early refusal on what the archive declares: an honest file this big is too big anyway.
    if sum(m.file_size for m in members) > limits.max_total_bytes:
        raise ArchiveRefused(TOO_LARGE)
    for member in members:
        compressed = min(member.compress_size, archive_bytes)
        kind = _over(limits, compressed, member.file_size)
        if kind:
            raise ArchiveRefused(kind, member.filename)
    # Then the bytes that really come out (a lying header cannot hide them).
    total = 0
    for member in members:
        compressed = min(member.compress_size, archive_bytes)
        size = 0
        try:
            with archive.open(member) as stream:
                # zipfile checks the declared size at the end of a member, and so would
                # stop a liar only after reading all of it: the limits stop it first.
                while chunk := stream.read(CHUNK_BYTES):
                    size += len(chunk)
                    total += len(chunk)
                    if total > limits.max_total_bytes:
                        raise ArchiveRefused(TOO_LARGE, member.filename)
                    kind = _over(limits, compressed, size)
                    if kind:
                        raise ArchiveRefused(kind, member.filename)
                    yield member, chunk
        # Bad data or CRC, encryption (RuntimeError), an unknown method (NotImplementedError).
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError,
                NotImplementedError, ValueError) as exc:  # fmt: skip
            raise ArchiveRefused(DAMAGED, member.filename) from exc


def check_archive(data: bytes, limits: ArchiveLimits) -> None:
    """Decompress all of ``data`` once, counting, and return only if it is within ``limits``.

    Raises:
        ArchiveRefused: ``NOT_ZIP`` if ``data`` is no ZIP archive; otherwise see
            :func:`read_members`.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveRefused(NOT_ZIP) from exc
    with archive:
        for _member, _chunk in read_members(archive, limits, archive_bytes=len(data)):
            pass
