"""import_items: streaming JSON Lines import with per-line validation, idempotent."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from moderation.models import Item
from tests.factories_moderation import ChannelFactory, DetectorFactory, RuleFactory

pytestmark = pytest.mark.django_db

GOOD = [
    {"external_id": "p1", "kind": "post", "direction": "outgoing", "text": "Nu öppnar badhuset!",
     "created_at": "2026-03-01T10:00:00+01:00", "url": "https://www.facebook.com/exempelstad/posts/p1"},
    {"external_id": "c1", "kind": "comment", "direction": "incoming", "text": "Äntligen, jävla bra!",
     "author": {"id": "u1", "name": "Per Persson"}, "created_at": "2026-03-01T10:05:00+01:00", "parent_id": "p1",
     "likes": 4},
    {"external_id": "c2", "kind": "reply", "direction": "incoming", "text": "Håller med",
     "author": {"id": "u2", "name": "Eva"}, "created_at": "2026-03-01T10:06:00+01:00", "parent_id": "c1"},
]


@pytest.fixture
def channel(unit):
    return ChannelFactory(slug="exempelstad-facebook", unit=unit)


def _write(tmp_path, lines):
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(path, slug="exempelstad-facebook"):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_items", str(path), "--channel", slug, "--batch-size", "2", stdout=out, stderr=err)
    return out.getvalue()


def test_import_items_bad_lines_reported_good_lines_imported(tmp_path, channel):
    DetectorFactory(rule=RuleFactory(code="profanity"), terms="jävl*")
    lines = [json.dumps(GOOD[0]), "{inte json", json.dumps(GOOD[1]), json.dumps({"kind": "comment"}),
             json.dumps({**GOOD[2], "created_at": "igår"}), json.dumps(GOOD[2]),
             json.dumps({"external_id": "x", "kind": "tweet"})]
    out = _run(_write(tmp_path, lines))
    assert "nya: 3" in out
    assert "ogiltiga rader: 4" in out
    for n in (2, 4, 5, 7):
        assert f"rad {n}:" in out
    c1 = Item.objects.get(external_id="c1")
    assert c1.raw == {"likes": 4} and c1.parent.external_id == "p1" and c1.author.display_name == "Per Persson"
    assert c1.flags.count() == 1
    assert Item.objects.get(external_id="c2").root_post.external_id == "p1"


def test_import_items_twice_changes_nothing(tmp_path, channel):
    path = _write(tmp_path, [json.dumps(r) for r in GOOD])
    _run(path)
    before = list(Item.objects.order_by("pk").values_list("pk", "version", "text"))
    out = _run(path)
    assert "nya: 0" in out and "oförändrade: 3" in out
    assert list(Item.objects.order_by("pk").values_list("pk", "version", "text")) == before


def test_import_items_edited_text_adds_version(tmp_path, channel):
    _run(_write(tmp_path, [json.dumps(GOOD[2])]))
    out = _run(_write(tmp_path, [json.dumps({**GOOD[2], "text": "Håller inte med längre"})]))
    assert "uppdaterade (ny version): 1" in out
    assert Item.objects.get(external_id="c2").versions.count() == 2


def test_import_items_missing_file_or_channel_fails(tmp_path, channel):
    with pytest.raises(CommandError, match="Filen finns inte"):
        _run(tmp_path / "saknas.jsonl")
    with pytest.raises(CommandError, match="Kanalen finns inte"):
        _run(_write(tmp_path, [json.dumps(GOOD[0])]), slug="okand")
