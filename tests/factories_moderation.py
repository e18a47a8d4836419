"""Factories for the moderation app (re-exported by tests.factories). Fixed defaults, no randomness."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from moderation.models import (
    Author,
    Channel,
    CredentialsStatus,
    Decision,
    DecisionAction,
    Detector,
    DetectorAction,
    DetectorKind,
    Direction,
    Flag,
    FlagSource,
    Item,
    ItemKind,
    ItemState,
    Platform,
    PlatformAction,
    PlatformActionKind,
    Priority,
    PublicReport,
    ReplyPurpose,
    ReplyTemplate,
    ReportVia,
    Rule,
)

__all__ = [
    "AuthorFactory",
    "ChannelFactory",
    "DecisionFactory",
    "DetectorFactory",
    "FlagFactory",
    "ItemFactory",
    "PlatformActionFactory",
    "PublicReportFactory",
    "ReplyTemplateFactory",
    "RuleFactory",
]

# A fixed moment, so tests do not depend on the clock unless they ask for it.
BASE_TIME = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class ChannelFactory(DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ("slug",)

    platform = Platform.FACEBOOK
    external_id = factory.Sequence(lambda n: f"10000000000{n:04d}")
    name = factory.Sequence(lambda n: f"Exempelstad kanal {n}")
    slug = factory.Sequence(lambda n: f"exempelstad-kanal-{n}")
    # By path: tests.factories imports this module at its end, so it cannot be imported here.
    unit = factory.SubFactory("tests.factories.UnitFactory")
    url = factory.LazyAttribute(lambda c: f"https://www.facebook.com/{c.slug}")
    active = True
    description = "Kommunens testkanal"
    credentials_status = CredentialsStatus.OK


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ("channel", "external_id")

    channel = factory.SubFactory(ChannelFactory)
    external_id = factory.Sequence(lambda n: f"author-{n}")
    display_name = factory.Sequence(lambda n: f"Anna Andersson {n}")
    username = factory.Sequence(lambda n: f"anna{n}")


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = Item
        # The trait `secret` cannot set a field of the same name (factory_boy sees a cycle), so the
        # field is declared as `is_secret`: ItemFactory(secret=True) or ItemFactory(is_secret=True).
        rename = {"is_secret": "secret"}

    channel = factory.SubFactory(ChannelFactory)
    external_id = factory.Sequence(lambda n: f"item-{n}")
    kind = ItemKind.COMMENT
    direction = Direction.INCOMING
    author = factory.SubFactory(AuthorFactory, channel=factory.SelfAttribute("..channel"))
    text = "När öppnar badhuset igen efter renoveringen?"
    search_text = factory.LazyAttribute(lambda i: i.text.casefold())
    received_at = factory.Sequence(lambda n: BASE_TIME + dt.timedelta(minutes=n))
    platform_created_at = factory.LazyAttribute(lambda i: i.received_at - dt.timedelta(seconds=30))
    state = ItemState.NEW
    priority = Priority.NONE
    is_secret = False

    class Params:
        outgoing = factory.Trait(
            direction=Direction.OUTGOING, kind=ItemKind.POST, author=None,
            text="Badhuset öppnar igen den 1 april.", consent_basis="Inga personer på bild",
        )
        reply = factory.Trait(
            kind=ItemKind.REPLY,
            parent=factory.SubFactory("tests.factories_moderation.ItemFactory",
                                      channel=factory.SelfAttribute("..channel"), kind=ItemKind.COMMENT),
            root_post=factory.LazyAttribute(lambda i: i.parent.root_post or i.parent),
        )
        secret = factory.Trait(is_secret=True, priority=Priority.URGENT,
                               text="Mitt barn på förskolan har fått en diagnos av skolläkaren.")
        held = factory.Trait(state=ItemState.HELD, priority=Priority.FLAGGED, hidden_on_platform=True, flag_count=1)
        decided = factory.Trait(state=ItemState.DECIDED, decided_at=factory.LazyAttribute(
            lambda i: i.received_at + dt.timedelta(minutes=5)))


class RuleFactory(DjangoModelFactory):
    """Reuses the seeded rule with the same code (migration 0003) instead of failing on uniqueness."""

    class Meta:
        model = Rule
        django_get_or_create = ("code",)

    code = "profanity"
    title_sv = factory.LazyAttribute(lambda r: f"Regel {r.code}")
    title_en = factory.LazyAttribute(lambda r: f"Rule {r.code}")
    description_sv = "Testregel."
    description_en = "Test rule."


class DetectorFactory(DjangoModelFactory):
    class Meta:
        model = Detector
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Granskning {n}")
    kind = DetectorKind.WORDS
    rule = factory.SubFactory(RuleFactory, code="profanity")
    action = DetectorAction.FLAG
    terms = "jävl*\nfan"
    allow = ""
    active = True
    # A detector that holds stands for one measured on the corpus at precision 1.0 (the hold rule).
    measured_precision = factory.LazyAttribute(lambda d: 1.0 if d.action == DetectorAction.HOLD else None)
    measured_hits = factory.LazyAttribute(lambda d: 100 if d.action == DetectorAction.HOLD else 0)

    class Params:
        words = factory.Trait(kind=DetectorKind.WORDS, terms="jävl*\nhora", allow="Fittja\nKukkola")
        pattern = factory.Trait(
            kind=DetectorKind.PATTERN, rule=factory.SubFactory(RuleFactory, code="advertising"),
            terms=r"k[öo]p\s+billigt", action=DetectorAction.HOLD,
        )

    @factory.post_generation
    def channels(self, create, extracted, **kwargs):
        if create and extracted:
            self.channels.set(extracted)


class PublicReportFactory(DjangoModelFactory):
    class Meta:
        model = PublicReport

    channel = factory.SubFactory(ChannelFactory)
    url = "https://www.facebook.com/exempelstad/posts/1"
    text = "Kommentaren innehåller ett personangrepp."
    reporter_message = "Detta borde tas bort."
    via = ReportVia.FORM
    created_at = BASE_TIME


class FlagFactory(DjangoModelFactory):
    class Meta:
        model = Flag

    item = factory.SubFactory(ItemFactory)
    source = FlagSource.DETECTOR
    rule = factory.SubFactory(RuleFactory, code="profanity")
    detail = "Ordlistan träffade ett svordomsord."
    spans = factory.LazyFunction(lambda: [{"start": 0, "end": 4, "term": "jävl*"}])
    matched_terms = factory.LazyFunction(lambda: ["jävl*"])
    created_at = BASE_TIME


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision
        skip_postgeneration_save = True

    item = factory.SubFactory(ItemFactory)
    action = DecisionAction.KEEP
    actor = factory.SubFactory("tests.factories.UserFactory", username="moderator", roles=["moderator"])
    note = "Inget regelbrott."
    item_version = factory.LazyAttribute(lambda d: d.item.version)
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def rules(self, create, extracted, **kwargs):
        if create and extracted:
            from moderation.models import DecisionRule

            DecisionRule.objects.bulk_create([DecisionRule.snapshot(self, rule) for rule in extracted])


class ReplyTemplateFactory(DjangoModelFactory):
    class Meta:
        model = ReplyTemplate
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Svarsmall {n}")
    purpose = ReplyPurpose.QUESTION
    text_sv = "Tack för din fråga! Kontakta gärna Kontaktcenter på 013-20 60 00."
    text_en = "Thank you for your question! Please contact the contact centre."


class PlatformActionFactory(DjangoModelFactory):
    class Meta:
        model = PlatformAction

    item = factory.SubFactory(ItemFactory)
    channel = factory.SelfAttribute("item.channel")
    kind = PlatformActionKind.HIDE
    payload = factory.LazyAttribute(lambda a: {"target_id": a.item.external_id})
    next_attempt_at = BASE_TIME
    created_at = BASE_TIME
