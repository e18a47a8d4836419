"""Consent (Linköping: "vi lägger inte ut bilder eller personuppgifter till personer utan deras samtycke").

- ``consent_record``: a person's consent with who, when, how, its scope and (for a signed form) the form;
- ``item_consent_link`` / ``item_consent_unlink``: an outgoing item rests on a consent;
- ``item_consent_not_needed``: an outgoing item's pictures show no one who must consent (with the reason);
- ``consent_withdraw``: the consent is withdrawn; the posts resting on it are listed for take-down;
- ``items_missing_consent``: the unit's outgoing items with pictures and no recorded basis.

Guarantees: every write is audited and kept in history; an item only rests on a consent in force of its
channel's unit; the form is stored with its SHA-256 and a type read from its bytes (PDF, JPEG or PNG),
within ``UPPSIKT_CONSENT_FORM_MAX_BYTES``; ``Item.consent_basis`` is kept as the one-line summary the item
page, the API and the registered document show.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.errors import DomainError
from accounts.services import audit_record
from moderation.consent.models import Consent, ConsentItem, ConsentMethod
from moderation.media.models import Attachment, AttachmentKind
from moderation.media.sniff import extension, sniff
from moderation.media.storage import file_store
from moderation.models import Direction, Item

FORM_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
# Attachments that can show a person (stickers and link previews are the platform's or a web page's).
PICTURE_KINDS = (AttachmentKind.PHOTO, AttachmentKind.VIDEO, AttachmentKind.ANIMATED_GIF, AttachmentKind.FILE)
NOT_NEEDED_PREFIX = "Inget samtycke behövs: "


def _form(upload) -> tuple[str, bytes, str]:
    limit = settings.UPPSIKT_CONSENT_FORM_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise DomainError(f"Blanketten är för stor (högst {limit // (1024 * 1024)} MB).")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError(f"Blanketten är för stor (högst {limit // (1024 * 1024)} MB).")
    content_type = sniff(data[:64])
    if content_type not in FORM_TYPES:
        raise DomainError("Blanketten måste vara en PDF, JPEG eller PNG (filen känns inte igen som någon av dem).")
    return content_type, data, hashlib.sha256(data).hexdigest()


def consent_record(*, unit, person_name: str, given_at: date, method: str, scope: str, actor,
                   given_by: str = "", valid_until: date | None = None, form=None, request=None) -> Consent:
    """Record a consent for the unit. A signed form must come with the form itself (PDF, JPEG or PNG)."""
    person_name, scope, given_by = (person_name or "").strip(), (scope or "").strip(), (given_by or "").strip()
    if not person_name:
        raise DomainError("Ange vem samtycket gäller.")
    if not scope:
        raise DomainError("Ange vad samtycket omfattar.")
    if method not in ConsentMethod.values:
        raise DomainError("Välj hur samtycket lämnades.")
    if given_at is None or given_at > timezone.localdate():
        raise DomainError("Ange när samtycket lämnades (inte ett datum i framtiden).")
    if valid_until is not None and valid_until < given_at:
        raise DomainError("Samtycket kan inte upphöra innan det lämnades.")
    if method == ConsentMethod.SIGNED_FORM and form is None:
        raise DomainError("Ladda upp den undertecknade blanketten.")
    stored = _form(form) if form is not None else None
    with transaction.atomic():
        consent = Consent(unit=unit, person_name=person_name[:200], given_by=given_by[:200], given_at=given_at,
                          method=method, scope=scope, valid_until=valid_until, recorded_by=actor)
        if stored is not None:
            content_type, data, digest = stored
            consent.form.name = file_store(f"consent/{unit.pk}/{uuid.uuid4().hex}{extension(content_type)}", data)
            consent.form_content_type, consent.form_size, consent.form_sha256 = content_type, len(data), digest
        consent.save()
        audit_record(actor=actor, action="other", target=consent, request=request,
                     detail={"event": "consent_recorded", "method": method, "form_sha256": consent.form_sha256})
    return consent


def _basis(item: Item) -> str:
    summaries = [c.summary() for c in Consent.objects.filter(links__item=item).order_by("pk")]
    return "; ".join(summaries)[:300]


def _outgoing(item: Item) -> None:
    if item.direction != Direction.OUTGOING:
        raise DomainError("Samtycke registreras för kommunens egna inlägg; den som skriver till kommunen har "
                          "själv samtyckt till att namnet visas.")
    if item.purged_at is not None:
        raise DomainError("Inlägget är gallrat.")


def item_consent_link(*, item: Item, consent: Consent, actor, request=None) -> ConsentItem:
    """The item rests on this consent (of the channel's unit, in force)."""
    _outgoing(item)
    if consent.unit_id != item.channel.unit_id:
        raise DomainError("Samtycket hör till en annan enhet än kanalen.")
    if consent.is_withdrawn:
        raise DomainError("Samtycket är återkallat och kan inte användas.")
    if consent.valid_until is not None and consent.valid_until < timezone.localdate():
        raise DomainError("Samtycket har upphört att gälla.")
    with transaction.atomic():
        link, created = ConsentItem.objects.get_or_create(consent=consent, item=item,
                                                          defaults={"added_by": actor})
        if not created:
            raise DomainError("Inlägget är redan kopplat till samtycket.")
        item.consent_basis = _basis(item)
        item.save(update_fields=["consent_basis"])
        audit_record(actor=actor, action="other", target=item, request=request,
                     detail={"event": "consent_linked", "consent": consent.pk})
    return link


def item_consent_unlink(*, item: Item, consent: Consent, actor, request=None) -> None:
    with transaction.atomic():
        deleted, _ = ConsentItem.objects.filter(consent=consent, item=item).delete()
        if not deleted:
            raise DomainError("Inlägget är inte kopplat till samtycket.")
        item.consent_basis = _basis(item)
        item.save(update_fields=["consent_basis"])
        audit_record(actor=actor, action="other", target=item, request=request,
                     detail={"event": "consent_unlinked", "consent": consent.pk})


def item_consent_not_needed(*, item: Item, reason: str, actor, request=None) -> Item:
    """Record why the item's pictures or names need no consent (e.g. no one can be recognised)."""
    _outgoing(item)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Skriv varför inget samtycke behövs.")
    if item.consent_links.exists():
        raise DomainError("Inlägget är kopplat till ett samtycke; ta bort kopplingen först.")
    with transaction.atomic():
        item.consent_basis = (NOT_NEEDED_PREFIX + reason)[:300]
        item.save(update_fields=["consent_basis"])
        audit_record(actor=actor, action="other", target=item, request=request,
                     detail={"event": "consent_not_needed"})
    return item


def consent_withdraw(*, consent: Consent, actor, note: str = "", at=None, request=None) -> list[Item]:
    """The person withdraws the consent; returns the posts that rest on it and are still on the platform
    (to take down). The consent and its links are kept: what was published, and on what basis, stays on
    record."""
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.is_withdrawn:
            raise DomainError("Samtycket är redan återkallat.")
        locked.withdrawn_at = at or timezone.now()
        locked.withdrawal_note = (note or "").strip()
        locked.withdrawal_recorded_by = actor
        locked.save(update_fields=["withdrawn_at", "withdrawal_note", "withdrawal_recorded_by"])
        audit_record(actor=actor, action="other", target=locked, request=request,
                     detail={"event": "consent_withdrawn"})
    consent.refresh_from_db()
    return list(takedown_items(consent))


def takedown_items(consent: Consent):
    """The posts resting on a withdrawn consent that are still on the platform."""
    if not consent.is_withdrawn:
        return Item.objects.none()
    return (Item.objects.filter(consent_links__consent=consent, removed_on_platform_at__isnull=True,
                                purged_at__isnull=True).select_related("channel").order_by("received_at"))


def items_missing_consent(*, user, unit_id: int | None = None):
    """The outgoing items with pictures (photo, video, GIF, file) and neither a consent nor a "not needed"
    reason, still on the platform, of the units the user works with (or ``unit_id``)."""
    pictures = Attachment.objects.filter(item=OuterRef("pk"), kind__in=PICTURE_KINDS)
    qs = (Item.objects.visible_to(user).filter(direction=Direction.OUTGOING, purged_at__isnull=True,
                                               removed_on_platform_at__isnull=True, consent_basis="")
          .filter(Exists(pictures)).exclude(Exists(ConsentItem.objects.filter(item=OuterRef("pk")))))
    if unit_id:
        qs = qs.filter(channel__unit_id=unit_id)
    return qs.select_related("channel", "channel__unit").order_by("-received_at", "-id")
