"""Administration: the organization's header data, users, rounds, and the staff list."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.account import UserForm
from forms.base import add_error
from forms.organization import OrganizationForm
from forms.organization import RoundForm
from forms.review import StaffImportForm
from services import audit
from services import incoming_signatures as trust_store
from services import people
from services import placement as placement_service
from services import rounds as round_service
from services.pagination import page_request
from services.signatures import CertificateError
from services.spreadsheets import SpreadsheetError
from storage.db import get_session
from storage.db import real_app
from storage.models import ROLE_LABELS
from storage.models import Person
from storage.models import Round
from storage.models import User
from storage.uploads import XLSX
from storage.uploads import UploadRejected
from storage.uploads import check_upload
from views.access import get_in_org
from views.auth import admin_required
from views.auth import set_password
from views.auth import start_session

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")


@bp.route("/")
@admin_required
def index() -> ResponseReturnValue:
    session = get_session()
    org_id = g.user.organization_id
    number, size = page_request(request.args)
    filters = {
        "role": request.args.get("role", ""),
        "state": request.args.get("state", ""),
        "q": request.args.get("q", "")[:120],
    }
    users = people.accounts_page(session, org_id, number=number, size=size, **filters)
    rounds = session.scalars(
        select(Round).where(Round.organization_id == org_id).order_by(Round.reference_date.desc())
    ).all()
    staff_count = session.scalar(select(func.count()).where(Person.organization_id == org_id))
    return render_template(
        "admin/index.html",
        page=users,
        filters=filters,
        roles=ROLE_LABELS,
        states=people.ACCOUNT_STATES,
        rounds=rounds,
        staff_count=staff_count,
        org=g.user.organization,
        rulesets=round_service.ruleset_names(),
        statuses={r.id: round_service.status_label(r, date.today()) for r in rounds},
    )


@bp.route("/co-quan", methods=["GET", "POST"])
@admin_required
def organization() -> ResponseReturnValue:
    org = g.user.organization
    confers_ldtt, recognises_initiatives = placement_service.head_powers(org.settings)
    # The quota lives where people.with_cstdcs_quota writes it; showing it keeps a save
    # that does not touch it from dropping it.
    quota = (org.settings.get("quotas") or {}).get("CSTDCS") or {}
    form = OrganizationForm(
        obj=org,
        data={
            "cstdcs_quota_percent": quota.get("max_percent"),
            "head_confers_ldtt": confers_ldtt,
            "head_recognises_initiatives": recognises_initiatives,
        },
    )
    if form.validate_on_submit():
        for name in (
            "name",
            "parent_name",
            "abbrev",
            "place",
            "head_title",
            "head_name",
            "address",
            "default_recipients",
        ):
            setattr(org, name, getattr(form, name).data or "")
        placement_service.apply_placement(
            org,
            org_kind=form.org_kind.data or "",
            province=form.province.data or "",
            superior_kind=form.superior_kind.data or "",
            superior_name=form.superior_name.data or "",
            superior_decider=form.superior_decider.data or "",
            superior_address=form.superior_address.data or "",
        )
        settings = people.with_cstdcs_quota(org.settings, form.cstdcs_quota_percent.data)
        org.settings = placement_service.with_head_powers(
            settings,
            confers_ldtt=form.head_confers_ldtt.data,
            recognises_initiatives=form.head_recognises_initiatives.data,
        )
        get_session().commit()
        flash("Đã lưu thông tin cơ quan.", "success")
        return redirect(url_for("admin.index"))
    # What the stored placement means today, so the admin sees the effect of each choice.
    today = date.today()
    return render_template(
        "admin/organization.html",
        form=form,
        decisions=placement_service.who_decides(org, today),
        powers_basis=placement_service.powers_basis(today),
        today=today,
    )


@bp.route("/nguoi-dung/moi", methods=["GET", "POST"])
@bp.route("/nguoi-dung/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user(user_id: int | None = None) -> ResponseReturnValue:
    session = get_session()
    target = get_in_org(User, user_id) if user_id else None
    form = UserForm(obj=target)
    if form.validate_on_submit():
        email = (form.email.data or "").lower()
        # Only this organization's accounts: the same address may have one in another
        # organization, and whether it has must not be learnt here.
        clash = session.scalar(
            select(User).where(User.organization_id == g.user.organization_id, User.email == email)
        )
        if clash is not None and clash is not target:
            add_error(
                form.email,
                "Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác của đơn vị.",
            )
        elif target is None and not form.password.data:
            add_error(form.password, "Tài khoản mới cần mật khẩu.")
        elif target is g.user and form.role.data != "admin":
            add_error(form.role, "Không thể tự bỏ quyền quản trị của chính mình.")
        else:
            is_new = target is None
            was_admin = target is not None and target.role == "admin"
            target = target or User(organization_id=g.user.organization_id)
            target.full_name = form.full_name.data or ""
            target.email = email
            target.position = form.position.data or ""
            target.unit = form.unit.data or ""
            target.role = form.role.data
            target.active = form.active.data or target is g.user
            if form.password.data:
                set_password(target, form.password.data)  # ends the account's sessions
                # A password chosen by someone else is changed at the first sign-in.
                target.must_change_password = target is not g.user
            session.add(target)
            session.flush()
            _audit_account(session, target, is_new, was_admin, bool(form.password.data))
            session.commit()
            if target is g.user:
                start_session(target)  # the admin's own session goes on
            flash("Đã lưu tài khoản.", "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/user.html", form=form, target=target)


def _audit_account(
    session: Session, target: User, is_new: bool, was_admin: bool, password_set: bool
) -> None:
    """Record making an admin (new, or promoted) and an admin setting someone's password."""
    detail = {"name": target.full_name, "email": target.email}
    common: dict[str, Any] = {"object_type": "user", "object_id": target.id, "detail": detail}
    if target.role == "admin" and not was_admin:
        audit.record(session, "user.create_admin" if is_new else "user.grant_admin", **common)
    if password_set and not is_new and target is not g.user:
        audit.record(session, "user.password_reset", **common)


@bp.route("/dot-thi-dua/moi", methods=["GET", "POST"])
@bp.route("/dot-thi-dua/<int:round_id>", methods=["GET", "POST"])
@admin_required
def round_new(round_id: int | None = None) -> ResponseReturnValue:
    session = get_session()
    round_ = get_in_org(Round, round_id) if round_id else None
    form = RoundForm(obj=round_)
    if form.validate_on_submit():
        try:
            ruleset = round_service.ruleset_id_for(form.reference_date.data)  # type: ignore[arg-type]  # required
        except LookupError as exc:
            add_error(form.reference_date, str(exc))
        else:
            round_ = round_ or Round(organization_id=g.user.organization_id)
            form.populate_obj(round_)
            round_.ruleset_id = ruleset
            session.add(round_)
            session.commit()
            flash("Đã lưu đợt thi đua.", "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/round.html", form=form, round=round_)


@bp.route("/danh-sach-can-bo", methods=["GET", "POST"])
@admin_required
def staff() -> ResponseReturnValue:
    form = StaffImportForm()
    session = get_session()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if not upload:
                raise UploadRejected("Vui lòng chọn tệp Excel (.xlsx).")
            checked = check_upload(upload.filename or "", upload.read(), {XLSX: "Excel (.xlsx)"})
            result = people.import_staff(session, g.user.organization_id, checked.content)
        except (UploadRejected, SpreadsheetError) as exc:
            form.file.errors = [str(exc)]
        else:
            session.commit()
            flash(
                f"Đã nhập {result.created} người mới, cập nhật {result.updated} người.", "success"
            )
            return redirect(url_for("admin.staff"))
    number, size = page_request(request.args)
    unit, q = request.args.get("unit", ""), request.args.get("q", "")[:120]
    org_id = g.user.organization_id
    page = people.directory_page(session, org_id, number=number, size=size, unit=unit, q=q)
    return render_template(
        "admin/staff.html",
        form=form,
        page=page,
        units=people.directory_units(session, org_id),
        unit=unit,
        q=q,
    )


@bp.route("/chung-thu-goc", methods=["GET", "POST"])
@admin_required
def trusted_roots() -> ResponseReturnValue:
    """The root certificates trusted for incoming documents' digital signatures (issue 17);
    adding one re-verifies the organization's signed documents in the worker."""
    session = get_session()
    org_id = g.user.organization_id
    error = ""
    if request.method == "POST":
        upload = request.files.get("certificate")
        data = upload.read(trust_store.MAX_CERTIFICATE_BYTES + 1) if upload else b""
        try:
            if not data:
                raise CertificateError("Vui lòng chọn tệp chứng thư gốc (.cer, .crt, .pem, .der).")
            root = trust_store.add_root(session, org_id, data, user_id=g.user.id)
        except CertificateError as exc:
            session.rollback()
            error = exc.message
        else:
            trust_store.request_verification(
                session,
                real_app(),
                org_id,
                user_id=g.user.id,
            )
            session.commit()
            flash(
                f"Đã thêm chứng thư gốc “{root.subject}”; chữ ký số của các văn bản đến "
                "đang được kiểm tra lại.",
                "success",
            )
            return redirect(url_for("admin.trusted_roots"))
    roots = trust_store.roots(session, org_id)
    now = datetime.now(UTC)
    return render_template(
        "admin/trusted_roots.html",
        roots=roots,
        # SQLite gives the stored UTC times back naive, PostgreSQL aware.
        expired={
            r.id
            for r in roots
            if (r.not_after.tzinfo and r.not_after or r.not_after.replace(tzinfo=UTC)) < now
        },  # fmt: skip
        error=error,
    ), (400 if error else 200)


@bp.route("/chung-thu-goc/<int:root_id>/xoa", methods=["POST"])
@admin_required
def trusted_root_remove(root_id: int) -> ResponseReturnValue:
    session = get_session()
    org_id = g.user.organization_id
    if not trust_store.remove_root(session, org_id, root_id, user_id=g.user.id):
        abort(404)
    trust_store.request_verification(
        session,
        real_app(),
        org_id,
        user_id=g.user.id,
    )
    session.commit()
    flash("Đã gỡ chứng thư gốc; chữ ký số của các văn bản đến đang được kiểm tra lại.", "success")
    return redirect(url_for("admin.trusted_roots"))


@bp.route("/nhat-ky")
@admin_required
def audit_log() -> ResponseReturnValue:
    """Who did what, newest first, each event as one Vietnamese sentence, a page at a time."""
    action = request.args.get("action", "")
    actor = request.args.get("user", "")
    user_id = int(actor) if actor.isdigit() and len(actor) <= 9 else None
    number, size = page_request(request.args)
    session = get_session()
    org_id = g.user.organization_id
    page, rows = audit.log_page(
        session, org_id, number=number, size=size, action=action, user_id=user_id
    )
    return render_template(
        "admin/audit.html",
        page=page,
        rows=rows,
        actions=audit.ACTIONS,
        action=action,
        actors=audit.log_actors(session, org_id),
        user_id=user_id,
    )
