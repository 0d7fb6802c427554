"""Every date a person types is read day first (forms.dates.DayFirstDateField): rounds, the
dossier, plan review, document fields and the issue date; ISO dates are still accepted."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import select
from wtforms import DateField

from forms.dates import DayFirstDateField
from forms.documents import form_class
from forms.dossier import DossierForm
from forms.organization import RoundForm
from forms.plans import DeadlineForm
from forms.plans import DoneForm
from forms.plans import ReferenceForm
from forms.plans import ReviewForm
from render.manifest import KINDS
from storage.models import Round


def _date_fields(form_type: type) -> dict[str, type]:
    return {
        name: value.field_class
        for name, value in vars(form_type).items()
        if hasattr(value, "field_class") and issubclass(value.field_class, DateField)
    } | {
        name: value.field_class
        for base in form_type.__mro__[1:]
        for name, value in vars(base).items()
        if hasattr(value, "field_class") and issubclass(value.field_class, DateField)
    }


@pytest.mark.parametrize(
    "form_type",
    [RoundForm, DossierForm, ReviewForm, DeadlineForm, ReferenceForm],
    ids=lambda t: t.__name__,
)
def test_typed_date_fields_are_day_first(form_type: type) -> None:
    fields = _date_fields(form_type)
    assert fields, "the form has date fields"
    assert all(kind is DayFirstDateField for kind in fields.values()), fields


@pytest.mark.parametrize("kind", KINDS)
def test_document_date_fields_are_day_first(kind: str) -> None:
    fields = _date_fields(form_class(kind))
    assert all(k is DayFirstDateField for k in fields.values()), fields


def test_the_hidden_occurrence_day_stays_iso() -> None:
    # Not typed by anyone: the page posts the occurrence's ISO day.
    assert _date_fields(DoneForm) == {"day": DateField}


def test_a_round_typed_day_first_is_saved_with_the_right_months(client, auth, world, app):
    auth.login("admin")
    client.post(
        "/quan-tri/dot-thi-dua/moi",
        data={
            "name": "Năm học 2025-2026 (gõ ngày trước)",
            "school_year": "2025-2026",
            "reference_date": "31/05/2026",
            "registration_opens": "01/09/2025",
            "registration_closes": "12/10/2025",
            "nomination_opens": "01/05/2026",
            "nomination_closes": "31/05/2026",
        },
    )
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        round_ = session.scalar(select(Round).where(Round.name.like("%gõ ngày trước%")))
        assert round_ is not None
        assert round_.registration_closes == datetime.date(2025, 10, 12)
        assert round_.reference_date == datetime.date(2026, 5, 31)
    page = client.get(f"/quan-tri/dot-thi-dua/{round_.id}").get_data(as_text=True)
    assert 'value="12/10/2025"' in page
    assert 'type="date"' not in page
