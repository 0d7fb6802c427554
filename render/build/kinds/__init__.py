"""Definitions of the official template kinds: manifest data + python-docx builder each."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from docx.document import Document as DocxDocument

from render.build.flow import widow_control
from render.build.kinds import awards
from render.build.kinds import bao_cao
from render.build.kinds import bien_ban
from render.build.kinds import certificate
from render.build.kinds import chuong_trinh
from render.build.kinds import cong_van
from render.build.kinds import danh_sach
from render.build.kinds import giay_moi
from render.build.kinds import ke_hoach
from render.build.kinds import quyet_dinh
from render.build.kinds import quyet_dinh_ban_hanh
from render.build.kinds import quyet_dinh_chung
from render.build.kinds import thong_bao
from render.build.kinds import to_trinh
from render.build.kinds import to_trinh_chung


def _with_widow_control(build: Callable[[Any], None]) -> Callable[[Any], None]:
    """Wrap a builder so that its document has widow and orphan control (Word's default)."""

    @functools.wraps(build)
    def wrapped(document: DocxDocument) -> None:
        widow_control(document)
        build(document)

    return wrapped


# kind -> (manifest dict, builder(document) -> None)
_BUILDERS: dict[str, tuple[dict[str, Any], Callable[[DocxDocument], None]]] = {
    "ke_hoach": (ke_hoach.MANIFEST, ke_hoach.build),
    "cong_van": (cong_van.MANIFEST, cong_van.build),
    "to_trinh": (to_trinh.MANIFEST, to_trinh.build),
    "quyet_dinh": (quyet_dinh.MANIFEST, quyet_dinh.build),
    "bien_ban": (bien_ban.MANIFEST, bien_ban.build),
    "danh_sach": (danh_sach.MANIFEST, danh_sach.build),
    "bao_cao_ca_nhan": (awards.INDIVIDUAL_MANIFEST, awards.build_individual),
    "bao_cao_tap_the": (awards.COLLECTIVE_MANIFEST, awards.build_collective),
    "giay_khen": (certificate.MANIFEST, certificate.build),
    "thong_bao": (thong_bao.MANIFEST, thong_bao.build),
    "giay_moi": (giay_moi.MANIFEST, giay_moi.build),
    "bao_cao": (bao_cao.MANIFEST, bao_cao.build),
    "chuong_trinh": (chuong_trinh.MANIFEST, chuong_trinh.build),
    "to_trinh_chung": (to_trinh_chung.MANIFEST, to_trinh_chung.build),
    "quyet_dinh_chung": (quyet_dinh_chung.MANIFEST, quyet_dinh_chung.build),
    "quyet_dinh_ban_hanh": (quyet_dinh_ban_hanh.MANIFEST, quyet_dinh_ban_hanh.build),
}
KIND_DEFINITIONS = {
    kind: (manifest, _with_widow_control(build)) for kind, (manifest, build) in _BUILDERS.items()
}
