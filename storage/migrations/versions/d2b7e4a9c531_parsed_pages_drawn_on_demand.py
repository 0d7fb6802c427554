"""parsed pages: the image is drawn the first time it is shown

Revision ID: d2b7e4a9c531
Revises: c5e8a1f3d926
Create Date: 2026-12-08 00:10:00

Issue 15: the upload job no longer draws every page's image (half again the parse of a
text PDF); it records the page's size, and the image is drawn when a clerk first looks at
the page, then kept with the shared reading. Until then ``parsed_pages.png`` is empty.
"""

import sqlalchemy as sa
from alembic import op

revision = "d2b7e4a9c531"
down_revision = "c5e8a1f3d926"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parsed_pages") as batch:
        batch.alter_column("png", existing_type=sa.LargeBinary(), nullable=True)


def downgrade() -> None:
    # Pages never drawn have no image to keep: their readings are read again.
    op.execute(
        "DELETE FROM incoming_pages WHERE parsed_page_id IN "
        "(SELECT id FROM parsed_pages WHERE png IS NULL)"
    )
    op.execute("DELETE FROM parsed_pages WHERE png IS NULL")
    with op.batch_alter_table("parsed_pages") as batch:
        batch.alter_column("png", existing_type=sa.LargeBinary(), nullable=False)
