"""The published rules, the detectors that screen against them, and reply templates."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RuleConsequence(models.TextChoices):
    REMOVE = "remove", _("Tas bort")
    REMOVE_AND_REGISTER = "remove_and_register", _("Tas bort och diarieförs")
    POLICE_REPORT = "police_report", _("Tas bort, diarieförs och polisanmäls")
    # Not a violation: political debate, an individual matter, a question get a reply or a referral.
    ROUTE = "route", _("Hänvisas eller besvaras")


class RuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def published(self):
        """The rules shown on /konton/, in the version in force."""
        return self.filter(active=True, published=True, valid_from__lte=timezone.now())

    def violations(self):
        return self.filter(is_violation=True)


class Rule(models.Model):
    """One point of the published policy. Versioned: `version` is bumped whenever its text changes,
    and a decision copies the text it relied on (DecisionRule)."""

    # A change to any of these is a new version of the rule.
    TEXT_FIELDS = ("title_sv", "title_en", "description_sv", "description_en", "consequence", "is_violation")

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    title_sv = models.CharField(_("rubrik (svenska)"), max_length=300)
    title_en = models.CharField(_("rubrik (engelska)"), max_length=300, blank=True)
    description_sv = models.TextField(_("beskrivning (svenska)"), blank=True)
    description_en = models.TextField(_("beskrivning (engelska)"), blank=True)
    consequence = models.CharField(_("följd"), max_length=24, choices=RuleConsequence.choices,
                                   default=RuleConsequence.REMOVE_AND_REGISTER)
    severity = models.SmallIntegerField(_("allvarlighet"), default=2,
                                        help_text=_("Köprioritet för träffar: 0 brådskande … 9 ingen."))
    is_violation = models.BooleanField(_("regelbrott"), default=True)
    published = models.BooleanField(_("publicerad"), default=True, help_text=_("Visas på sidan /konton/."))
    order = models.PositiveSmallIntegerField(_("ordning"), default=100)
    active = models.BooleanField(_("aktiv"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    valid_from = models.DateTimeField(_("gäller från"), default=timezone.now)

    objects = RuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regel")
        verbose_name_plural = _("regler")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.title_sv

    @property
    def audit_label(self) -> str:
        return f"Regel {self.code}"

    def text_differs(self, other: Rule) -> bool:
        return any(getattr(self, f) != getattr(other, f) for f in self.TEXT_FIELDS)


class DetectorKind(models.TextChoices):
    WORDS = "words", _("Ordlista")
    PATTERN = "pattern", _("Mönster (reguljärt uttryck)")
    IDENTITY_NUMBER = "identity_number", _("Personnummer/samordningsnummer")
    PHONE = "phone", _("Telefonnummer")
    EMAIL = "email", _("E-postadress")
    LINK = "link", _("Länk")
    LINK_DOMAIN = "link_domain", _("Länk till blockerad domän")
    REPEAT = "repeat", _("Upprepade inlägg")


class DetectorAction(models.TextChoices):
    FLAG = "flag", _("Flagga")
    HOLD = "hold", _("Dölj i väntan på granskning")


class DetectorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True).select_related("rule")

    def for_channel(self, channel):
        """Active detectors that apply to a channel: those without channels apply to all."""
        return self.active().filter(models.Q(channels=None) | models.Q(channels=channel)).distinct()


def _lines(value: str, *, strip: bool = True) -> tuple[str, ...]:
    lines = (value or "").splitlines()
    return tuple((line.strip() if strip else line.rstrip("\r")) for line in lines if line.strip())


class Detector(models.Model):
    """An admin-configured automatic check that flags or holds an item under a rule."""

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=DetectorKind.choices)
    rule = models.ForeignKey(Rule, verbose_name=_("regel"), on_delete=models.PROTECT, related_name="detectors")
    action = models.CharField(_("åtgärd"), max_length=10, choices=DetectorAction.choices, default=DetectorAction.FLAG)
    terms = models.TextField(_("termer"), blank=True, help_text=_(
        "En per rad. Ord matchar hela ord med böjningsformer (fitta → fittan, fittor); =fan bara exakt det ordet; "
        "porr* = början av ord; *jävel = slutet av sammansatta ord; fraser ord för ord med alternativ: "
        "ska (döda|mörda) (dig|er). För mönster: reguljära uttryck; för länkar: domäner."))
    allow = models.TextField(_("undantag"), blank=True, help_text=_(
        "En per rad: ord eller domäner som aldrig flaggas (t.ex. Fittja). ”kuk: Kukkola, Kuksu” gäller bara "
        "termen kuk."))
    threshold = models.PositiveIntegerField(_("antal inlägg"), default=5, help_text=_("För upprepade inlägg."))
    window_minutes = models.PositiveIntegerField(_("tidsfönster (minuter)"), default=10,
                                                 help_text=_("För upprepade inlägg."))
    active = models.BooleanField(_("aktiv"), default=True)
    channels = models.ManyToManyField("moderation.Channel", verbose_name=_("kanaler"), blank=True,
                                      related_name="detectors", help_text=_("Tomt = alla kanaler."))
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    # Screening caches its compiled matcher until this changes ("re-screen when detectors change").
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    # Filled by services.screening.detector_save: the Swedish dictionary's forms of each word
    # ({term: [forms]}), made once per save so that screening never loads the dictionary.
    expanded_forms = models.JSONField(_("böjningsformer"), default=dict, blank=True, editable=False)
    expansion_key = models.CharField(_("nyckel för böjningsformer"), max_length=64, blank=True, editable=False)
    # Measured on the labelled corpus (services.screening.detector_evaluate): holding needs precision ≥ 0.99.
    measured_precision = models.FloatField(_("uppmätt precision"), null=True, blank=True, editable=False)
    measured_recall = models.FloatField(_("uppmätt täckning"), null=True, blank=True, editable=False)
    measured_hits = models.PositiveIntegerField(_("träffar i utvärderingen"), default=0, editable=False)
    measured_at = models.DateTimeField(_("utvärderad"), null=True, blank=True, editable=False)

    objects = DetectorQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[channels])

    class Meta:
        verbose_name = _("automatisk granskning")
        verbose_name_plural = _("automatiska granskningar")
        ordering = ["rule__order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return f"Automatisk granskning {self.pk}"

    @property
    def may_hold(self) -> bool:
        """Holding (hiding before review) needs a measured precision of at least 0.99 on enough hits."""
        from moderation.screening.evaluation import HOLD_MIN_HITS, HOLD_PRECISION

        return (self.measured_precision is not None and self.measured_hits >= HOLD_MIN_HITS
                and self.measured_precision >= HOLD_PRECISION)

    @property
    def holds(self) -> bool:
        """Configured to hold and allowed to: otherwise a hit only flags."""
        return self.action == DetectorAction.HOLD and self.may_hold

    def spec(self):
        """The engine's view of this detector, or None for `repeat` (counted by services, not the engine)."""
        from moderation.screening import DetectorSpec

        if self.kind == DetectorKind.REPEAT:
            return None
        terms = _lines(self.terms, strip=self.kind != DetectorKind.PATTERN)
        forms = self.expanded_forms or {}
        return DetectorSpec(
            id=self.pk,
            kind=self.kind,
            rule=self.rule.code,
            action=self.action,
            # Regular expressions keep their inner spaces; words and domains are trimmed.
            terms=terms,
            allow=_lines(self.allow),
            name=self.name,
            forms=tuple((t, tuple(forms[t])) for t in terms if t in forms) if self.kind == DetectorKind.WORDS else (),
        )


class ReplyPurpose(models.TextChoices):
    POLITICAL_DEBATE = "political_debate", _("Politisk debatt (hänvisning till partierna)")
    INDIVIDUAL_MATTER = "individual_matter", _("Enskilt ärende (e-tjänst eller växel)")
    QUESTION = "question", _("Fråga")
    REMOVAL_NOTICE = "removal_notice", _("Meddelande om borttagning")
    OTHER = "other", _("Annat")


class ReplyTemplateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class ReplyTemplate(models.Model):
    name = models.CharField(_("namn"), max_length=200, unique=True)
    purpose = models.CharField(_("syfte"), max_length=20, choices=ReplyPurpose.choices, default=ReplyPurpose.OTHER)
    text_sv = models.TextField(_("text (svenska)"))
    text_en = models.TextField(_("text (engelska)"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    objects = ReplyTemplateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("svarsmall")
        verbose_name_plural = _("svarsmallar")
        ordering = ["purpose", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return f"Svarsmall {self.pk}"
