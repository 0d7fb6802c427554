"""Hồ sơ khen thưởng of a round (issue 9): from the council's recorded results to the
documents the law lets each decision maker sign.

- :mod:`.names` — how its head and the round are written in sentences (names of bodies:
  :mod:`domain.names`);
- :mod:`.nominees` — reading the round: votes checked against the rule set, who decides
  each title (:mod:`domain.emulation.authority`), birth data from the staff directory;
- :mod:`.plan` — splitting by authority: the head's own Quyết định, one Tờ trình + Danh
  sách per other decision maker, the Biên bản, sáng kiến and điển hình tiên tiến;
- :mod:`.builders` — each part's fields, every sentence derived from the records;
- :mod:`.store` — one dossier per round kept consistent (regenerate, refresh on issue);
- :mod:`.certificates` — the Giấy khen batch (only the organization's own Giấy khen).
"""

from services.dossier.builders import DossierInput
from services.dossier.certificates import CERTIFICATES_FUNCTION
from services.dossier.certificates import CERTIFICATES_KIND
from services.dossier.certificates import certificate_fields
from services.dossier.certificates import certificate_file_name
from services.dossier.certificates import decision_reference
from services.dossier.certificates import nominee_of
from services.dossier.certificates import queue_certificates
from services.dossier.certificates import reprint_certificates
from services.dossier.names import COUNCIL
from services.dossier.names import DRAFT_PLACEHOLDER
from services.dossier.names import head_title
from services.dossier.names import period_text
from services.dossier.nominees import DossierError
from services.dossier.nominees import Nominee
from services.dossier.store import BuildResult
from services.dossier.store import build_dossier
from services.dossier.store import certificate_job
from services.dossier.store import default_input
from services.dossier.store import rebuild_after_change
from services.dossier.store import refresh_after_issue
from services.dossier.store import round_dossier

__all__ = [
    "BuildResult", "CERTIFICATES_FUNCTION", "CERTIFICATES_KIND", "COUNCIL", "DRAFT_PLACEHOLDER",
    "DossierError", "DossierInput", "Nominee", "build_dossier", "certificate_fields",
    "certificate_file_name", "certificate_job", "default_input", "decision_reference", "head_title",
    "nominee_of", "period_text", "queue_certificates", "rebuild_after_change",
    "refresh_after_issue", "reprint_certificates", "round_dossier",
]  # fmt: skip
