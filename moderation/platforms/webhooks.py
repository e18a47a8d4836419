"""The Meta webhook endpoint ``/hooks/meta/<slug>/`` (Facebook pages and Instagram accounts).

GET answers the subscription handshake; POST checks the size and the ``X-Hub-Signature-256`` HMAC over the
raw bytes, stores the delivery raw in its own short transaction, answers 200 at once and leaves the
processing to a task (enqueued after commit).

Decisions:
- an unknown slug (or a channel that is not on Facebook/Instagram) is 404;
- a bad signature is 403 and logged with the slug and the source address; the call is kept as evidence in
  the bounded, expiring `WebhookRejection` table (at most ``INVALID_BODY_KEEP`` bytes of its body; never
  processed or replayed; at most UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS rows, deleted after
  UPPSIKT_WEBHOOK_REJECTIONS_DAYS days by the scheduler). A source address that failed
  UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE times within the last minute gets 429 (Retry-After: 60) for further
  failed calls, which are then not stored at all. A correctly signed delivery is never refused for the
  rate limit: Meta sends from shared addresses, and nothing that arrived correctly is lost;
- a correctly signed delivery for an inactive channel is answered 200 (otherwise Meta retries and finally
  disables the subscription) and stored as "ignored": nothing reaches the queue, but the raw delivery is
  kept and staff can replay it if the channel is switched on again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.services import client_ip
from moderation.models import Channel, Platform, WebhookDelivery, WebhookRejection, WebhookStatus
from moderation.platforms import crypto
from moderation.platforms.connectors.meta import verify_handshake, verify_signature
from moderation.platforms.tasks import webhook_delivery_process

logger = logging.getLogger(__name__)

META_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM)
INVALID_BODY_KEEP = 2048
KEPT_HEADERS = ("X-Hub-Signature-256", "X-Hub-Signature", "Content-Type", "User-Agent", "Content-Length")


def _secret(channel: Channel, name: str) -> str:
    try:
        return channel.get_secret(name)
    except crypto.DecryptionError:
        logger.error("Meta webhook %s: the stored %s cannot be decrypted", channel.slug, name)
        return ""


def _text(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _enqueue(delivery_id: int) -> None:
    try:
        webhook_delivery_process.enqueue(delivery_id=delivery_id)
    except Exception:
        # The row is stored; run_scheduled re-enqueues deliveries left "received".
        logger.warning("could not enqueue webhook delivery %s", delivery_id, exc_info=True)


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """At most ``limit`` bytes of the body, or None when it is longer (read no further than limit + 1)."""
    body = request.read(limit + 1)
    return None if len(body) > limit else body


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest, slug: str) -> HttpResponse:
    channel = Channel.objects.filter(slug=slug, platform__in=META_PLATFORMS).first()
    if channel is None:
        logger.warning("Meta webhook: unknown channel %r (%s)", slug, request.method)
        return HttpResponseNotFound("Okänd kanal", content_type="text/plain; charset=utf-8")

    if request.method == "GET":
        challenge = verify_handshake(request.GET, _secret(channel, "verify_token"))
        if challenge is None:
            logger.warning("Meta webhook %s: handshake refused (mode=%r)", slug, request.GET.get("hub.mode"))
            return HttpResponseForbidden("Verifieringen misslyckades", content_type="text/plain; charset=utf-8")
        logger.info("Meta webhook %s: subscription verified", slug)
        return _text(200, challenge)

    limit = settings.UPPSIKT_WEBHOOK_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        logger.warning("Meta webhook %s: body of %s bytes refused (limit %s)", slug, declared, limit)
        return _text(413, f"För stor leverans: högst {limit} byte tas emot.")
    body = _read_body(request, limit)
    if body is None:
        logger.warning("Meta webhook %s: body longer than %s bytes refused", slug, limit)
        return _text(413, f"För stor leverans: högst {limit} byte tas emot.")

    headers = {name: request.headers[name] for name in KEPT_HEADERS if name in request.headers}
    signature = request.headers.get("X-Hub-Signature-256")
    if not verify_signature(body, signature, _secret(channel, "app_secret")):
        return _rejected(request, channel, body, headers, "saknas" if not signature else "fel")

    with transaction.atomic():
        if channel.active:
            delivery = WebhookDelivery.objects.create(
                channel=channel, platform=channel.platform, body=body, headers=headers, signature_valid=True
            )
            delivery_id = delivery.pk
            transaction.on_commit(lambda: _enqueue(delivery_id))
        else:
            WebhookDelivery.objects.create(
                channel=channel, platform=channel.platform, body=body, headers=headers, signature_valid=True,
                status=WebhookStatus.IGNORED, error="Kanalen är inaktiv; leveransen sparad men inte behandlad.",
            )
            logger.info("Meta webhook %s: channel inactive, delivery stored as ignored", slug)
    return _text(200, "OK")


def _rejected(request: HttpRequest, channel: Channel, body: bytes, headers: dict, reason: str) -> HttpResponse:
    """A call with a missing or wrong signature: 403 and kept as evidence, or 429 when its source
    address has failed too often in the last minute."""
    source = client_ip(request) or ""
    if webhook_source_rate_limited(source=source):
        logger.warning("Meta webhook %s: signature %s from %s, rate limited (429)", channel.slug,
                       "missing" if reason == "saknas" else "wrong", source)
        response = _text(429, "För många anrop med ogiltig signatur; försök igen om en minut.")
        response["Retry-After"] = "60"
        return response
    logger.warning("Meta webhook %s: signature %s from %s, delivery refused (%s bytes)", channel.slug,
                   "missing" if reason == "saknas" else "wrong", source, len(body))
    webhook_rejection_record(channel=channel, source=source, body=body, headers=headers,
                             reason=f"Signaturen {reason}; inte behandlad.")
    return HttpResponseForbidden("Ogiltig signatur", content_type="text/plain; charset=utf-8")


def webhook_source_rate_limited(*, source: str, now: dt.datetime | None = None) -> bool:
    """True when `source` has UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE or more failed calls in the last minute."""
    limit = settings.UPPSIKT_WEBHOOK_FAILURES_PER_MINUTE
    since = (now or timezone.now()) - dt.timedelta(minutes=1)
    return WebhookRejection.objects.from_source_since(source, since).count() >= limit


def webhook_rejection_record(*, channel: Channel | None, source: str, body: bytes, headers: dict,
                             reason: str) -> WebhookRejection | None:
    """Keep a refused call as evidence (its first INVALID_BODY_KEEP bytes). Guarantees the table never
    holds more than UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS rows: when it is full the call is only logged."""
    if WebhookRejection.objects.count() >= settings.UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS:
        logger.warning("webhook rejections table full (%s rows): call from %s only logged",
                       settings.UPPSIKT_WEBHOOK_REJECTIONS_MAX_ROWS, source)
        return None
    return WebhookRejection.objects.create(
        channel=channel, source=source[:45], body_size=len(body), body_prefix=body[:INVALID_BODY_KEEP],
        headers=headers, reason=reason[:200],
    )


