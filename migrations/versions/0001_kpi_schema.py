"""KPI schema: frameworks, outcomes, measures, commitments, figures, edition differences,
imported observations and the seed fingerprint. Mirrors `kpi_tools/models.py`;
`tests/kpi/test_migrations.py` checks the two agree.

Revision ID: 0001_kpi_schema
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_kpi_schema"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kpi_frameworks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.String(length=100), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('period_start', sa.Integer(), nullable=False),
    sa.Column('period_end', sa.Integer(), nullable=False),
    sa.Column('superseded_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('doc_id')
    )
    op.create_table('kpi_seed_state',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('seeded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('kpi_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['framework_id'], ['kpi_frameworks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('framework_id', 'title', name='uq_kpi_outcomes_title')
    )
    op.create_table('kpi_commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('theme', sa.Text(), nullable=True),
    sa.Column('doc_id', sa.String(length=100), nullable=False),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['kpi_frameworks.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_id'], ['kpi_outcomes.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_kpi_commitments_framework_id'), 'kpi_commitments', ['framework_id'], unique=False)
    op.create_table('kpi_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('directorate', sa.String(length=100), nullable=True),
    sa.Column('lead_committee', sa.String(length=100), nullable=True),
    sa.Column('deprivation_indicator', sa.Boolean(), nullable=True),
    sa.Column('unit', sa.String(length=60), nullable=True),
    sa.Column('definition', sa.Text(), nullable=True),
    sa.Column('publisher', sa.Text(), nullable=True),
    sa.Column('related_measure_id', sa.Integer(), nullable=True),
    sa.Column('related_outcome_id', sa.Integer(), nullable=True),
    sa.Column('doc_id', sa.String(length=100), nullable=True),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['kpi_frameworks.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['related_measure_id'], ['kpi_measures.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['related_outcome_id'], ['kpi_outcomes.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('framework_id', 'name_key', name='uq_kpi_measures_name')
    )
    op.create_index('ix_kpi_measures_code', 'kpi_measures', ['code'], unique=False)
    op.create_index('ix_kpi_measures_name_key', 'kpi_measures', ['name_key'], unique=False)
    op.create_table('kpi_commitment_measures',
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['kpi_commitments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['kpi_measures.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commitment_id', 'measure_id')
    )
    op.create_table('kpi_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('value_text', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('qualifier', sa.String(length=30), nullable=True),
    sa.Column('unit', sa.String(length=60), nullable=False),
    sa.Column('period', sa.String(length=60), nullable=True),
    sa.Column('area', sa.String(length=100), nullable=True),
    sa.Column('headline', sa.Text(), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.Column('doc_id', sa.String(length=100), nullable=False),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['kpi_frameworks.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['kpi_measures.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outcome_id'], ['kpi_outcomes.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_kpi_figures_framework_id'), 'kpi_figures', ['framework_id'], unique=False)
    op.create_table('kpi_measure_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('outcome_text', sa.Text(), nullable=False),
    sa.Column('matches_known_outcome', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['kpi_measures.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_id'], ['kpi_outcomes.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_kpi_measure_outcomes_measure_id'), 'kpi_measure_outcomes', ['measure_id'], unique=False)
    op.create_index(op.f('ix_kpi_measure_outcomes_outcome_id'), 'kpi_measure_outcomes', ['outcome_id'], unique=False)
    op.create_table('kpi_observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=60), nullable=False),
    sa.Column('period_sort', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('value_text', sa.String(length=100), nullable=False),
    sa.Column('qualifier', sa.String(length=30), nullable=True),
    sa.Column('unit', sa.String(length=60), nullable=True),
    sa.Column('area', sa.String(length=200), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['kpi_measures.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('measure_id', 'period', 'area', name='uq_kpi_observations_key')
    )
    op.create_index('ix_kpi_observations_series', 'kpi_observations', ['measure_id', 'area', 'period_sort'], unique=False)
    op.create_table('kpi_edition_differences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('figure_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('doc_id', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('other_doc_id', sa.String(length=100), nullable=False),
    sa.Column('other_value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['figure_id'], ['kpi_figures.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['kpi_measures.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_kpi_edition_differences_figure_id'), 'kpi_edition_differences', ['figure_id'], unique=False)
    op.create_index(op.f('ix_kpi_edition_differences_measure_id'), 'kpi_edition_differences', ['measure_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_kpi_edition_differences_measure_id'), table_name='kpi_edition_differences')
    op.drop_index(op.f('ix_kpi_edition_differences_figure_id'), table_name='kpi_edition_differences')
    op.drop_table('kpi_edition_differences')
    op.drop_index('ix_kpi_observations_series', table_name='kpi_observations')
    op.drop_table('kpi_observations')
    op.drop_index(op.f('ix_kpi_measure_outcomes_outcome_id'), table_name='kpi_measure_outcomes')
    op.drop_index(op.f('ix_kpi_measure_outcomes_measure_id'), table_name='kpi_measure_outcomes')
    op.drop_table('kpi_measure_outcomes')
    op.drop_index(op.f('ix_kpi_figures_framework_id'), table_name='kpi_figures')
    op.drop_table('kpi_figures')
    op.drop_table('kpi_commitment_measures')
    op.drop_index('ix_kpi_measures_name_key', table_name='kpi_measures')
    op.drop_index('ix_kpi_measures_code', table_name='kpi_measures')
    op.drop_table('kpi_measures')
    op.drop_index(op.f('ix_kpi_commitments_framework_id'), table_name='kpi_commitments')
    op.drop_table('kpi_commitments')
    op.drop_table('kpi_outcomes')
    op.drop_table('kpi_seed_state')
    op.drop_table('kpi_frameworks')
