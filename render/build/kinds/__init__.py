"""Definitions of the official template kinds: manifest data + python-docx builder each."""

from __future__ import annotations

from render.build.kinds import awards
from render.build.kinds import bien_ban
from render.build.kinds import certificate
from render.build.kinds import cong_van
from render.build.kinds import danh_sach
from render.build.kinds import ke_hoach
from render.build.kinds import quyet_dinh
from render.build.kinds import to_trinh

# kind -> (manifest dict, builder(document) -> None)
KIND_DEFINITIONS = {
    "ke_hoach": (ke_hoach.MANIFEST, ke_hoach.build),
    "cong_van": (cong_van.MANIFEST, cong_van.build),
    "to_trinh": (to_trinh.MANIFEST, to_trinh.build),
    "quyet_dinh": (quyet_dinh.MANIFEST, quyet_dinh.build),
    "bien_ban": (bien_ban.MANIFEST, bien_ban.build),
    "danh_sach": (danh_sach.MANIFEST, danh_sach.build),
    "bao_cao_ca_nhan": (awards.INDIVIDUAL_MANIFEST, awards.build_individual),
    "bao_cao_tap_the": (awards.COLLECTIVE_MANIFEST, awards.build_collective),
    "giay_khen": (certificate.MANIFEST, certificate.build),
}
