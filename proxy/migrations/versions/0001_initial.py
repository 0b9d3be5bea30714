"""Organisations, API keys, created jobs and the audit table.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "orgs",
        sa.Column("org_id", sa.String(64), primary_key=True),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("credential_kind", sa.String(16), nullable=False),
        sa.Column("credential_sealed", sa.Text, nullable=False),
        sa.Column("credential_tail", sa.String(8), nullable=False),
        sa.Column("monthly_cap", sa.Integer, nullable=True),
        sa.Column("test_only", sa.Boolean, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("org_id", sa.String(64), sa.ForeignKey("orgs.org_id"), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.String(64), nullable=False),
        sa.Column("rpm", sa.Integer, nullable=False),
        sa.Column("expires_at", WHEN, nullable=True),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_api_keys_org_id", "api_keys", ["org_id"])
    op.create_table(
        "jobs",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("job_id", sa.String(128), primary_key=True),
        sa.Column("org_id", sa.String(64), sa.ForeignKey("orgs.org_id"), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("billed", sa.Boolean, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_jobs_org_billed_created", "jobs", ["org_id", "billed", "created_at"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=True),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("operation", sa.String(64), nullable=True),
        sa.Column("status", sa.Integer, nullable=True),
        sa.Column("job_id", sa.String(128), nullable=True),
        sa.Column("latency_ms", sa.Float, nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
    )
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_index("ix_audit_org_id", "audit", ["org_id"])


def downgrade() -> None:
    op.drop_table("audit")
    op.drop_table("jobs")
    op.drop_table("api_keys")
    op.drop_table("orgs")
