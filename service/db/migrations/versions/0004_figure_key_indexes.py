"""indexes on the figure keys of printed cumulatives and totals

Ingestion finds, for each figure a report holds, the highest precedence among the rows of the
same key; without these indexes that was a scan of the indicator's whole year per row.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CUMULATIVE_KEY = ["indicator_code", "prefecture_code", "fiscal_year", "through_month", "breakdown"]
_TOTAL_KEY = ["indicator_code", "fiscal_year", "month", "breakdown", "cumulative"]


def upgrade() -> None:
    with op.batch_alter_table("reported_cumulative", schema=None) as batch_op:
        batch_op.create_index("ix_reported_cumulative_key", _CUMULATIVE_KEY, unique=False)
    with op.batch_alter_table("reported_total", schema=None) as batch_op:
        batch_op.create_index("ix_reported_total_key", _TOTAL_KEY, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reported_total", schema=None) as batch_op:
        batch_op.drop_index("ix_reported_total_key")
    with op.batch_alter_table("reported_cumulative", schema=None) as batch_op:
        batch_op.drop_index("ix_reported_cumulative_key")
