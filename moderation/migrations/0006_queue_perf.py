"""Indexes for the review queue's filters at 1,000,000 items (bench/bench_queue.py).

- item (channel, state, priority, received_at) replaces (channel, state): a channel's tab in queue
  order, and still every (channel, state) lookup;
- item (state, decided_at, id): the decided tab, latest decisions first;
- flag (rule, item) and (source, item): the rule and flag-source filters' EXISTS.
- PostgreSQL only: item (id) INCLUDE (state, channel_id, priority, received_at, purged_at), so
  the rule/source filters' join from the flags, and the search of a page's ids, check scope and
  state and sort on index entries alone (index-only scans), reading whole rows only for the page.
  (SQLite has no INCLUDE; not in Item.Meta for that reason, like 0002's full-text index.)
Full-text search uses the GIN index of 0002; dates the received_at indexes of 0001.
"""

from django.conf import settings
from django.db import migrations, models

SCOPE_INDEX = "moderation_item_scope_idx"


def scope_index_forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {SCOPE_INDEX}")  # re-runnable
    schema_editor.execute(f"CREATE INDEX {SCOPE_INDEX} ON moderation_item (id) "
                          "INCLUDE (state, channel_id, priority, received_at, purged_at)")


def scope_index_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SCOPE_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0005_platformaction_next_attempt_null'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='item',
            name='moderation_item_chan_state_idx',
        ),
        migrations.AddIndex(
            model_name='flag',
            index=models.Index(fields=['rule', 'item'], name='moderation_flag_rule_idx'),
        ),
        migrations.AddIndex(
            model_name='flag',
            index=models.Index(fields=['source', 'item'], name='moderation_flag_source_idx'),
        ),
        migrations.AddIndex(
            model_name='item',
            index=models.Index(fields=['channel', 'state', 'priority', 'received_at'],
                               name='moderation_item_chan_queue_idx'),
        ),
        migrations.AddIndex(
            model_name='item',
            index=models.Index(fields=['state', 'decided_at', 'id'], name='moderation_item_decided_idx'),
        ),
        migrations.RunPython(scope_index_forward, scope_index_backward),
    ]
