"""Calendar feeds: feed tokens (SHA-256 only) and the cached iCalendar bytes of each task.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:32:44.094868
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('scope_kind', sa.String(length=10), nullable=False),
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=True),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_client', sa.String(length=200), nullable=True),
    sa.Column('etag', sa.String(length=64), nullable=True),
    sa.Column('etag_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("phase IS NULL OR phase IN ('pre-launch', 'launch', 'post-launch')", name=op.f('ck_feed_tokens_phase_known')),
    sa.CheckConstraint("scope_kind IN ('person', 'team', 'launch')", name=op.f('ck_feed_tokens_scope_kind_known')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_feed_tokens_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash'))
    )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_tokens_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_feed_tokens_scope', ['scope_kind', 'scope_id'], unique=False)

    op.create_table('task_events',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('variant', sa.String(length=20), nullable=False),
    sa.Column('task_version', sa.Integer(), nullable=False),
    sa.Column('launch_version', sa.Integer(), nullable=False),
    sa.Column('renderer', sa.String(length=16), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_events_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'variant', name=op.f('pk_task_events'))
    )


def downgrade() -> None:
    op.drop_table('task_events')
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_feed_tokens_scope')
        batch_op.drop_index(batch_op.f('ix_feed_tokens_owner_id'))

    op.drop_table('feed_tokens')
