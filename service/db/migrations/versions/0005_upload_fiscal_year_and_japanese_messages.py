"""the fiscal year given with an upload, and reports' messages in Japanese

``given_fiscal_year`` is the ``fiscalYear`` argument of ``uploadReport`` (for a file that names no
year); ``error_ja`` and ``warnings_ja`` hold the parser's messages in Japanese beside the English.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("given_fiscal_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("error_ja", sa.Text(), nullable=True))
        # Reports stored before this revision, and writers that predate it, have none: an empty list.
        batch_op.add_column(sa.Column("warnings_ja", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("warnings_ja")
        batch_op.drop_column("error_ja")
        batch_op.drop_column("given_fiscal_year")
