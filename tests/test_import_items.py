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


# --- hostile input: NUL, lone surrogates, deep nesting, very long lines -------------------------------------------


def _raw_write(tmp_path, chunks: list[bytes]):
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(chunks) + b"\n")
    return path


@pytest.mark.parametrize(("bad", "message"), [
    ('{"external_id": "n1", "text": "hej\\u0000då"}', "rad 2: NUL-tecken (\\u0000) i text"),
    ('{"external_id": "n2", "text": "x", "author": {"id": "a", "name": "Per\\u0000"}}',
     "rad 2: NUL-tecken (\\u0000) i author.name"),
    ('{"external_id": "s1", "text": "trasig \\ud800 text"}', "rad 2: ensamt surrogattecken (t.ex. \\ud800) i text"),
    ('{"external_id": "s2", "text": "x", "likes\\udfff": 1}',
     "rad 2: ensamt surrogattecken (t.ex. \\ud800) i en nyckel"),
    ('{"external_id": "s3", "text": "x", "tags": ["ok", "\\udc00"]}',
     "rad 2: ensamt surrogattecken (t.ex. \\ud800) i tags[1]"),
    ('{"external_id": "r1", "text": "rå \x00 byte"}', "rad 2: NUL-tecken på raden (kolumn 35)"),
    ('[' * 100_000 + ']' * 100_000, "rad 2: JSON-värdet är för djupt nästlat"),
])
def test_import_items_hostile_line_reported_rest_imported(tmp_path, channel, bad, message):
    path = _raw_write(tmp_path, [json.dumps(GOOD[0]).encode(), bad.encode("utf-8"), json.dumps(GOOD[1]).encode()])
    out = _run(path)
    assert message in out, out
    assert "nya: 2" in out and "ogiltiga rader: 1" in out
    assert set(Item.objects.values_list("external_id", flat=True)) == {"p1", "c1"}


def test_import_items_surrogate_pair_escaped_is_valid_text(tmp_path, channel):
    path = _raw_write(tmp_path, [b'{"external_id": "e1", "text": "glad \\ud83d\\ude00"}'])
    assert "nya: 1" in _run(path)
    assert Item.objects.get(external_id="e1").text == "glad 😀"


def test_import_items_ten_megabyte_line_too_long_in_bounded_memory(tmp_path, channel, settings):
    """A 10 MB line (over the 1 MiB maximum) is reported as too long without being held: the import's peak
    Python memory stays far below the line's size; the lines around it are imported."""
    import tracemalloc

    settings.UPPSIKT_IMPORT_MAX_LINE_BYTES = 1024 * 1024
    huge = b'{"external_id": "big", "text": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    path = _raw_write(tmp_path, [json.dumps(GOOD[0]).encode(), huge, json.dumps(GOOD[1]).encode()])
    del huge
    tracemalloc.start()
    try:
        out = _run(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "rad 2: raden är längre än 1048576 byte och lästes inte" in out, out
    assert "nya: 2" in out
    assert peak < 3 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_import_items_max_line_bytes_option(tmp_path, channel):
    path = _write(tmp_path, [json.dumps(GOOD[0]), json.dumps({**GOOD[1], "text": "x" * 500})])
    out = io.StringIO()
    call_command("import_items", str(path), "--channel", "exempelstad-facebook", "--max-line-bytes", "300",
                 "--quiet-progress", stdout=out)
    assert "rad 2: raden är längre än 300 byte" in out.getvalue() and "nya: 1" in out.getvalue()
