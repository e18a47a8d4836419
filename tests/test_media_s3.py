"""Attachments and evidence sheets in S3-compatible object storage (django-storages), tested against moto's
server mode on 127.0.0.1 over real HTTP (not a mock of boto): a fetched picture is stored as an object,
served through the permission-checked view, and deleted with the item's purge."""

from __future__ import annotations

import hashlib

import boto3
import pytest

from moderation.media.evidence import evidence_sheet_create
from moderation.media.models import Attachment, FetchStatus
from moderation.media.services import attachments_record
from moderation.models import ItemVersion
from tests.factories import ChannelFactory, ItemFactory
from tests.media_fixtures import *  # noqa: F403 - fixtures (cdn, platform_urls, fb_channel)
from tests.media_fixtures import jpeg_bytes

pytestmark = pytest.mark.django_db

BUCKET = "uppsikt-media-test"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_server, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-north-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    try:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_server, "region_name": "eu-north-1",
                    "access_key": "testing", "secret_key": "testing", "default_acl": None,
                    "querystring_auth": True, "file_overwrite": False},
    }}
    return client


def _keys(client) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_attachment_stored_in_s3_served_and_purged(unit, cdn, s3, users, client_for,
                                                   django_capture_on_commit_callbacks):
    from moderation.retention_hooks import scrub_items
    from records import registry

    data = jpeg_bytes(size=(50, 50))
    channel = ChannelFactory(unit=unit, slug="exempelstad-facebook")
    url = cdn.add_media("s3.jpg", data)
    item = ItemFactory(channel=channel, attachments=[{"kind": "photo", "url": url}])
    version = ItemVersion.objects.create(item=item, number=1, text=item.text, attachments=item.attachments)
    with django_capture_on_commit_callbacks(execute=True):
        attachments_record(item=item, version=version, refs=item.attachments)
    row = Attachment.objects.get(item=item)
    assert row.status == FetchStatus.STORED, row.last_error
    assert row.file.name in _keys(s3)
    stored = s3.get_object(Bucket=BUCKET, Key=row.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == row.sha256 and stored == data

    r = client_for("moderator").get(f"/granskning/inlagg/{item.pk}/bilagor/{row.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == data

    sheet = evidence_sheet_create(item=item, actor=users["moderator"])
    assert {sheet.pdf.name, sheet.png.name} <= _keys(s3)

    with django_capture_on_commit_callbacks(execute=True):
        scrub_items([str(item.pk)], registry.ScrubContext(reason="purge", purge_list_id=1))
    assert _keys(s3) == set()
