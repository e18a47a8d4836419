"""Factories for the records models (re-exported by tests.factories).

Numbers are built directly here (case "KS 2026/<n>", document "<case>-<n>"); real code allocates
them with the numbering service. Secret parts come from traits that add a SecrecyMarking.
"""

import datetime
import hashlib

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from records.models import (
    Case,
    DisclosureDecisionSetting,
    DisclosureRequest,
    Document,
    LegalGround,
    LegalHold,
    RetentionClass,
    SecrecyMarking,
    Series,
    SubjectRequest,
)

__all__ = [
    "CaseFactory",
    "DisclosureDecisionSettingFactory",
    "DisclosureRequestFactory",
    "DocumentFactory",
    "LegalGroundFactory",
    "LegalHoldFactory",
    "RetentionClassFactory",
    "SecrecyMarkingFactory",
    "SeriesFactory",
    "SubjectRequestFactory",
]

YEAR = 2026


class LegalGroundFactory(DjangoModelFactory):
    class Meta:
        model = LegalGround
        django_get_or_create = ("code",)

    code = "OSL 26 kap. 1 §"
    title = "Socialtjänst"
    description = "Uppgift om enskilds personliga förhållanden inom socialtjänsten."


class SeriesFactory(DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ("code",)

    code = "KS"
    name = "Kommunstyrelsens diarium"
    body = "Kommunstyrelsen"


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    series = factory.SubFactory(SeriesFactory)
    year = YEAR
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda c: c.series.format_case_number(c.year, c.sequence))
    title = "Synpunkter via kommunens sociala medier"
    opened_at = datetime.date(YEAR, 1, 15)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda d: d.case.series.format_document_number(d.case.number, d.sequence))
    direction = "incoming"
    date = datetime.date(YEAR, 1, 15)
    sender = "Anna Andersson"
    sender_is_private_person = True
    description = "Kommentar på Facebook om snöröjningen"
    public_description = ""
    reason = "adds_to_case"
    source_type = ""
    source_id = ""
    content = "Varför plogas inte Storgatan? Det har snöat i tre dagar."
    content_meta = factory.LazyFunction(lambda: {"channel": "exempelstad-facebook", "kind": "comment"})
    content_sha256 = factory.LazyAttribute(lambda d: _sha(d.content))
    registered_at = factory.LazyFunction(timezone.now)
    # DocumentFactory(voided=True) gives a voided (makulerad) document with a time and reason.
    voided = False
    voided_at = factory.LazyAttribute(lambda d: timezone.now() if d.voided else None)
    void_reason = factory.LazyAttribute(lambda d: "Registrerad av misstag" if d.voided else "")

    class Params:
        secret_sender = factory.Trait(
            sender_marking=factory.RelatedFactory(
                "tests.factories_records.SecrecyMarkingFactory", factory_related_name="document", part="sender",
                legal_ground=factory.SubFactory(LegalGroundFactory, code="OSL 21 kap. 3 §",
                                                title="Skyddade personuppgifter"),
            )
        )
        secret_content = factory.Trait(
            content_marking=factory.RelatedFactory(
                "tests.factories_records.SecrecyMarkingFactory", factory_related_name="document", part="content",
            )
        )
        outgoing = factory.Trait(
            direction="outgoing",
            sender="Exempelstads kommun",
            sender_is_private_person=False,
            description="Svar på kommentar om snöröjningen",
            content="Tack för din fråga! Storgatan plogas i dag.",
        )


class SecrecyMarkingFactory(DjangoModelFactory):
    class Meta:
        model = SecrecyMarking

    document = factory.SubFactory(DocumentFactory)
    part = "content"
    legal_ground = factory.SubFactory(LegalGroundFactory)
    marked_at = factory.LazyFunction(timezone.now)


class RetentionClassFactory(DjangoModelFactory):
    class Meta:
        model = RetentionClass
        django_get_or_create = ("code",)

    code = "SM-1"
    name = "Inlägg och kommentarer som hålls ordnade (ej diarieförda)"
    covers = "Testklass"
    action = "purge"
    period_days = 365
    trigger = "arrival"
    decision_body = "Kommunstyrelsen"
    decision_reference = "KS 2025/12"
    applies_to = factory.LazyFunction(lambda: ["moderation.item"])


class DisclosureRequestFactory(DjangoModelFactory):
    class Meta:
        model = DisclosureRequest

    reference = factory.Sequence(lambda n: f"BAH-{YEAR}-{n + 1:04d}")
    received_at = factory.LazyFunction(timezone.now)
    channel_in = "email"
    requester_name = ""
    requester_contact = "journalist@example.se"
    request_text = "Jag vill ta del av de kommentarer som raderats från kommunens Facebooksida i januari."


class DisclosureDecisionSettingFactory(DjangoModelFactory):
    """The default deciding body (no unit); decisions get a case each in series "UTL" (its own series,
    so the numbers it allocates never meet the numbers CaseFactory builds by hand in "KS")."""

    class Meta:
        model = DisclosureDecisionSetting

    unit = None
    deciding_body = "Kommunstyrelsen"
    delegation = "delegationsordning punkt 1.3"
    delegate_title = "registrator"
    appeal_court = "Kammarrätten i Sundsvall"
    series = factory.SubFactory(SeriesFactory, code="UTL", name="Utlämnande av allmänna handlingar")


class LegalHoldFactory(DjangoModelFactory):
    class Meta:
        model = LegalHold

    target_type = "records.document"
    target_id = factory.Sequence(lambda n: str(n + 1))
    reason = "Överklagat avslagsbeslut"
    source = "manual"


class SubjectRequestFactory(DjangoModelFactory):
    class Meta:
        model = SubjectRequest

    reference = factory.Sequence(lambda n: f"DSR-{YEAR}-{n + 1:03d}")
    kind = "access"
    received_at = factory.LazyFunction(timezone.now)
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    requester_name = "Bertil Berg"
    requester_contact = "bertil@example.se"
    identifiers = factory.LazyFunction(lambda: {"name": "Bertil Berg", "platform_account": "bertil.berg"})
