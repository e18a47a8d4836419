"""Reading the tombstones: which purge list (or request) took an object."""

from __future__ import annotations

from collections.abc import Iterable

from records.models import Tombstone

__all__ = ["purge_references"]


def purge_references(target_type: str, ids: Iterable) -> dict[str, str]:
    """{id: the purge list's (or erasure request's) reference} for those of `ids` that were purged; one query."""
    ids = [str(i) for i in ids]
    if not ids:
        return {}
    return dict(Tombstone.objects.filter(target_type=target_type, target_id__in=ids)
                .values_list("target_id", "basis_reference"))
