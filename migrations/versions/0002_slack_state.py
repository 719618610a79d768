"""Slack adapter state: processed events (dedupe), answers, feedback and channel settings.

Mirrors the models in `bot/slack/store.py`; `tests/slack/test_slack_store.py` checks that the
two agree by running this migration and comparing it with the metadata.

Revision ID: 0002_slack_state
Revises: 0001_kpi_schema
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_slack_state"
down_revision = "0001_kpi_schema"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_processed_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_slack_processed_events_received_at", "slack_processed_events", ["received_at"]
    )

    op.create_table(
        "slack_answers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=True),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("thread_ts", sa.String(32), nullable=True),
        sa.Column("message_ts", sa.String(32), nullable=True),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("abstained", sa.Boolean(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalated_by", sa.String(32), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_slack_answers_thread", "slack_answers", ["channel_id", "thread_ts"])

    op.create_table(
        "slack_feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "answer_id",
            sa.String(32),
            sa.ForeignKey("slack_answers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("team_id", sa.String(32), nullable=True),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("answer_id", "user_id", name="uq_slack_feedback_answer_user"),
    )

    op.create_table(
        "slack_channel_settings",
        sa.Column("channel_id", sa.String(32), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=True),
        sa.Column("mention_only", sa.Boolean(), nullable=False),
        sa.Column("private_answers", sa.Boolean(), nullable=False),
        sa.Column("escalation_contacts", sa.String(1000), nullable=False),
        sa.Column("updated_by", sa.String(32), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("slack_channel_settings")
    op.drop_table("slack_feedback")
    op.drop_index("ix_slack_answers_thread", table_name="slack_answers")
    op.drop_table("slack_answers")
    op.drop_index("ix_slack_processed_events_received_at", table_name="slack_processed_events")
    op.drop_table("slack_processed_events")
