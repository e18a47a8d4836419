"""Full-text search on PostgreSQL: a GIN expression index on SearchVector("text", config="swedish").

Built from Django's own GinIndex/SearchVector so the indexed expression is exactly the one a query
`Item.objects.annotate(v=SearchVector("text", config="swedish")).filter(v=SearchQuery(q, config="swedish"))`
produces, and the planner can use it. SQLite has no such index: there search falls back to
`search_text__icontains`. Not in Item.Meta.indexes because SQLite cannot create it.
"""

from django.db import migrations

INDEX_NAME = "moderation_item_text_fts"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector("text", config="swedish"), name=INDEX_NAME)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")  # re-runnable
    schema_editor.add_index(apps.get_model("moderation", "Item"), _index())


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
