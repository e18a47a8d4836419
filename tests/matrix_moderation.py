"""Permission matrix for the moderation pages.

Decisions (documented here and in the report):
- The queue, the item page and the author page are readable by every role that holds
  moderation.view_item / view_author (moderator, registrar, archivist, administrator, auditor);
  only holders of moderation.moderate_item (moderator, administrator) get the action buttons,
  and only they may claim, decide or act in bulk. Secret content needs view_secret_item (registrar).
- Reports: read by view_publicreport (moderator, administrator, auditor); triage and staff entry
  by change/add_publicreport (moderator, administrator).
- Police reports: read by view_policereport (moderator, administrator, auditor); created and
  updated by moderator and administrator.
- Configuration (rules, detectors, reply templates, channels): administrator only.
- Public pages (/konton/, /anmal/): everyone, no login.
"""

from tests.matrix import ALL_ROLES, Case

MODERATE = ("moderator", "administrator")
READ_REPORTS = ("moderator", "administrator", "auditor")
EVERYONE = ALL_ROLES + ("norole",)


def setup(users):
    from accounts.models import Unit
    from moderation.models import PoliceReport
    from tests.factories import (
        AuthorFactory,
        ChannelFactory,
        DetectorFactory,
        FlagFactory,
        ItemFactory,
        ReplyTemplateFactory,
    )

    unit = Unit.objects.get(code="kommunledning")
    channel = ChannelFactory(slug="matris-facebook", unit=unit)
    author = AuthorFactory(channel=channel)
    item = ItemFactory(channel=channel, author=author)
    FlagFactory(item=item)
    report = PoliceReport.objects.create(note="Hot")
    report.items.add(item)
    from moderation.models import Rule

    return {"item": item, "author": author, "police": report, "detector": DetectorFactory(),
            "rule": Rule.objects.get(code="hate"), "template": ReplyTemplateFactory()}


CASES = [
    Case("queue", "/granskning/", ALL_ROLES),
    Case("queue bulk", "/granskning/massatgard/", MODERATE, ok=302, method="post",
         data={"action": "keep"}),
    Case("item detail", lambda c: f"/granskning/inlagg/{c['item'].pk}/", ALL_ROLES),
    Case("item claim", lambda c: f"/granskning/inlagg/{c['item'].pk}/reservera/", MODERATE, ok=302, method="post"),
    Case("item decide", lambda c: f"/granskning/inlagg/{c['item'].pk}/beslut/", MODERATE, ok=302, method="post",
         data={"action": "keep"}),
    Case("item history", lambda c: f"/historik/moderation/item/{c['item'].pk}/",
         ("moderator", "registrar", "archivist", "administrator", "auditor")),
    Case("author detail", lambda c: f"/granskning/konto/{c['author'].pk}/", ALL_ROLES),
    Case("author warn", lambda c: f"/granskning/konto/{c['author'].pk}/warn/", MODERATE, ok=302, method="post",
         data={"reason": "Svordomar"}),
    Case("reports", "/granskning/anmalningar/", READ_REPORTS),
    Case("police reports", "/granskning/polisanmalningar/", READ_REPORTS),
    Case("police report detail", lambda c: f"/granskning/polisanmalningar/{c['police'].pk}/", READ_REPORTS),
    Case("police report create", lambda c: f"/granskning/polisanmalningar/ny/?item={c['item'].pk}", MODERATE),
    Case("config rules", "/konfiguration/regler/", ("administrator",)),
    Case("config rule", lambda c: f"/konfiguration/regler/{c['rule'].pk}/", ("administrator",)),
    Case("config detectors", "/konfiguration/detektorer/", ("administrator",)),
    Case("config detector", lambda c: f"/konfiguration/detektorer/{c['detector'].pk}/", ("administrator",)),
    Case("config detector new", "/konfiguration/detektorer/ny/", ("administrator",)),
    Case("config templates", "/konfiguration/svarsmallar/", ("administrator",)),
    Case("config template", lambda c: f"/konfiguration/svarsmallar/{c['template'].pk}/", ("administrator",)),
    Case("config channels", "/konfiguration/kanaler/", ("administrator",)),
    Case("public accounts", "/konton/", EVERYONE, anonymous=200),
    Case("public report form", "/anmal/", EVERYONE, anonymous=200),
    Case("public report thanks", "/anmal/tack/", EVERYONE, anonymous=200),
]
