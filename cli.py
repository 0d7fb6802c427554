"""``flask`` commands: migrate the database, create users, set up a first installation."""

from __future__ import annotations

import secrets

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.account import password_problem
from storage.db import get_db
from storage.db import real_app
from storage.migrate import upgrade
from storage.models import Organization
from storage.models import Role
from storage.models import User


def register_commands(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(create_user)
    app.cli.add_command(bootstrap)
    app.cli.add_command(sweep_jobs)
    app.cli.add_command(clean_storage)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    upgrade(get_db().url)
    click.echo("Cơ sở dữ liệu đã được cập nhật.")


def _organization(session: Session, name: str | None) -> Organization:
    if name:
        org = session.scalar(select(Organization).where(Organization.name == name))
        if org is None:
            raise click.ClickException(f"Không có cơ quan “{name}”.")
        return org
    org = session.scalar(select(Organization).order_by(Organization.id))
    if org is None:
        raise click.ClickException("Chưa có cơ quan nào; hãy chạy `flask bootstrap` trước.")
    return org


def _audit_admin_created(session: Session, user: User) -> None:
    """An admin made on the server's command line is in the audit log too (no actor)."""
    from services import audit

    session.flush()
    audit.record(
        session,
        "user.create_admin",
        object_type="user",
        object_id=user.id,
        detail={"name": user.full_name, "email": user.email, "via": "cli"},
        organization_id=user.organization_id,
    )


def generated_password() -> str:
    """A random password that passes the same rule as one typed in the UI."""
    while True:
        password = secrets.token_urlsafe(9)
        if password_problem(password) is None:
            return password


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True, help="Thư điện tử dùng để đăng nhập")
@click.option("--name", "full_name", required=True, help="Họ và tên")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.STAFF.value)
@click.option("--organization", default=None, help="Tên cơ quan (mặc định: cơ quan đầu tiên)")
@click.option("--password", default=None, help="Mật khẩu (mặc định: tự sinh và in ra)")
@click.option("--unit", default="", help="Tổ / bộ phận")
@click.option("--position", default="", help="Chức vụ")
def create_user(
    email: str,
    full_name: str,
    role: str,
    organization: str | None,
    password: str | None,
    unit: str,
    position: str,
) -> None:
    """Create a user account."""
    from services.accounts import hash_password

    problem = password_problem(password) if password is not None else None
    if problem:
        raise click.ClickException(problem)
    password = password or generated_password()
    with get_db().session() as session:
        org = _organization(session, organization)
        email = email.strip().lower()
        if session.scalar(select(User).where(User.organization_id == org.id, User.email == email)):
            raise click.ClickException(f"Đơn vị đã có tài khoản {email}.")
        user = User(
            organization_id=org.id,
            email=email,
            full_name=full_name,
            role=role,
            unit=unit,
            position=position,
            password_hash=hash_password(password),
            # The console's operator chose or printed it: the owner picks their own.
            must_change_password=True,
        )
        session.add(user)
        if role == Role.ADMIN.value:
            _audit_admin_created(session, user)
    click.echo(f"Đã tạo tài khoản {email} ({role}) — mật khẩu: {password}")
    click.echo("Lần đăng nhập đầu, người dùng sẽ được yêu cầu đặt mật khẩu của riêng mình.")


@click.command("bootstrap")
@with_appcontext
@click.option("--org-name", default="TRƯỜNG THCS MẪU", help="Tên cơ quan ban hành")
@click.option("--parent", default="UBND XÃ MẪU", help="Cơ quan chủ quản")
@click.option("--abbrev", default="THCSM", help="Chữ viết tắt trong ký hiệu")
@click.option("--place", default="Mẫu", help="Địa danh")
@click.option("--admin-email", default="admin@vanthu.local")
def bootstrap(org_name: str, parent: str, abbrev: str, place: str, admin_email: str) -> None:
    """Migrate, and on an empty installation create a first organization and admin (printed)."""
    from services.accounts import hash_password

    upgrade(get_db().url)
    with get_db().session() as session:
        if session.scalar(select(func.count()).select_from(User)):
            click.echo("Đã có tài khoản; không tạo thêm tài khoản quản trị.")
            return
        org = session.scalar(select(Organization).order_by(Organization.id))
        if org is None:
            org = Organization(
                name=org_name,
                parent_name=parent,
                abbrev=abbrev,
                place=place,
                head_title="HIỆU TRƯỞNG",
                settings={},
            )
            session.add(org)
            session.flush()
        password = generated_password()
        admin = User(
            organization_id=org.id,
            email=admin_email,
            full_name="Quản trị viên",
            role=Role.ADMIN.value,
            password_hash=hash_password(password),
            # Printed to a terminal (and whatever logs it): changed at the first sign-in.
            must_change_password=True,
        )
        session.add(admin)
        _audit_admin_created(session, admin)
    click.echo("=" * 60)
    click.echo("Tài khoản quản trị đầu tiên:")
    click.echo(f"  Thư điện tử: {admin_email}")
    click.echo(f"  Mật khẩu:    {password}")
    click.echo("Lần đăng nhập đầu sẽ yêu cầu đặt mật khẩu mới; sau đó hãy sửa thông tin cơ quan.")
    click.echo("=" * 60)


@click.command("sweep-jobs")
@with_appcontext
def sweep_jobs() -> None:
    """Một lượt rà soát hàng đợi: xếp lại tác vụ bị bỏ dở hoặc chưa vào hàng đợi."""

    from worker.sweeper import sweep

    report = sweep(real_app())
    click.echo(
        f"Xếp lại {len(report.requeued_abandoned)} tác vụ bị bỏ dở, "
        f"đưa {len(report.enqueued)} tác vụ vào hàng đợi, "
        f"dừng {len(report.failed_abandoned)} tác vụ đã thử quá số lần."
    )


@click.command("clean-storage")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="chỉ đếm, không xoá gì")
def clean_storage(dry_run: bool) -> None:
    """Dọn bộ nhớ: xoá các tệp không còn gì trỏ tới, bản đọc không còn dùng được và tác vụ
    đã xong từ lâu."""

    from worker.sweeper import storage_sweep

    report = storage_sweep(real_app(), dry_run=dry_run)
    verb = "Sẽ xoá" if dry_run else "Đã xoá"
    click.echo(
        f"{verb} {report.files} tệp ({report.file_bytes} byte) và "
        f"{report.readings} bản đọc trong bộ đệm ({report.reading_bytes} byte ảnh trang)."
    )
    click.echo(f"{verb} {report.jobs} tác vụ đã xong từ lâu không còn gì dùng tới.")
    if report.skipped_windows:
        click.echo(f"Bỏ qua {report.skipped_windows} nhóm tệp vừa được dùng; lượt sau sẽ xét lại.")
