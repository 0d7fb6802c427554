"""The organization tree: an office (Phòng, Sở) creates its schools and reads their rounds.

Every organization reached here lies below the signed-in admin's own; anything else is a
404, so a Phòng never learns of another Phòng's schools. The new school goes under the
admin's organization, taken from the session, never from a form field.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from forms.base import add_error
from forms.organizations import SchoolForm
from services import audit
from services import organizations as svc
from services import rounds as round_service
from services.pagination import page_request
from storage.db import get_session
from storage.models import Organization
from storage.models import Role
from storage.models import Round
from storage.models import StoredFile
from storage.models import User
from views.auth import admin_required
from views.auth import set_password
from views.document_forms import audit_names
from views.downloads import send_audited

bp = Blueprint("organizations", __name__, url_prefix="/quan-tri/don-vi")


@bp.route("/")
@admin_required
def index() -> ResponseReturnValue:
    """The organizations below the admin's own, a page at a time (a Sở has hundreds of
    schools), searched by name without diacritics, with their rounds and issued dossiers."""
    number, size = page_request(request.args)
    q = request.args.get("q", "")[:120]
    page = svc.children_page(get_session(), g.user.organization_id, number=number, size=size, q=q)
    return render_template(
        "organizations/index.html", page=page, q=q, can_create=svc.is_office(g.user.organization)
    )


@bp.route("/moi", methods=["GET", "POST"])
@admin_required
def create() -> ResponseReturnValue:
    parent = g.user.organization
    if not svc.is_office(parent):
        abort(403)
    form = SchoolForm(kinds=svc.SCHOOL_KINDS)
    if form.validate_on_submit():
        session = get_session()
        data = svc.NewSchool(
            name=form.name.data or "", abbrev=form.abbrev.data or "", place=form.place.data or "",
            org_kind=form.org_kind.data, head_title=form.head_title.data or "",
            head_name=form.head_name.data or "", admin_name=form.admin_name.data or "",
            admin_email=form.admin_email.data or "",
        )  # fmt: skip
        try:
            school, admin = svc.create_school(session, parent, data)
        except svc.OrganizationError as exc:
            add_error(form.admin_email, str(exc))
        else:
            set_password(admin, form.admin_password.data or "")
            admin.must_change_password = True  # the office typed it: the owner picks their own
            audit.record(
                session, "user.create_admin", object_type="user", object_id=admin.id,
                detail={"name": admin.full_name, "email": admin.email},
            )  # fmt: skip
            session.commit()
            flash(f"Đã tạo {school.name} và tài khoản quản trị {admin.email}.", "success")
            return redirect(url_for("organizations.detail", org_id=school.id))
    return render_template("organizations/new.html", form=form, parent=parent)


@bp.route("/<int:org_id>/van-ban/<int:document_id>/<any(pdf, docx):fmt>")
@admin_required
def document(org_id: int, document_id: int, fmt: str) -> ResponseReturnValue:
    """An issued dossier document of a school below (a Tờ trình it sent up), recorded in
    the office's audit log."""
    session = get_session()
    found = svc.received_document(session, g.user.organization_id, org_id, document_id)
    file_id = {"pdf": found.pdf_file_id, "docx": found.docx_file_id}[fmt] if found else None
    stored = session.get(StoredFile, file_id) if file_id else None
    if found is None or stored is None or stored.organization_id != org_id:
        abort(404)
    detail = {"format": fmt, "file": stored.id, "number": found.number, **audit_names(found)}
    return send_audited(
        stored, "document.download", object_type="document", object_id=found.id, detail=detail
    )


@bp.route("/<int:org_id>")
@admin_required
def detail(org_id: int) -> ResponseReturnValue:
    """A school below the admin's organization, read-only: header, admins, rounds."""
    session = get_session()
    if not svc.below(session, g.user.organization_id, org_id):
        abort(404)
    org = session.get(Organization, org_id)
    admins = session.scalars(
        select(User)
        .where(User.organization_id == org_id, User.role == Role.ADMIN.value)
        .order_by(User.full_name)
    ).all()
    rounds = session.scalars(
        select(Round).where(Round.organization_id == org_id).order_by(Round.reference_date.desc())
    ).all()
    today = date.today()
    return render_template(
        "organizations/detail.html",
        org=org,
        admins=admins,
        rounds=[(r, round_service.status_label(r, today)) for r in rounds],
        children=svc.children_rows(session, org_id),
    )
