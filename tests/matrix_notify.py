"""Permission matrix for notifications and the report sources (issue 13).

- Notifications (list, settings, count, mark read): every staff role, each sees only their own; a user
  without a role 403; the background count answers 286 (htmx: stop polling) to anyone signed out or
  without a role, never a login page.
- A report's e-mail (.eml, personal data): only roles with view_reporter_contact (moderator).
- Turning a private message into a report: add_publicreport (moderator, administrator).
"""

from tests.matrix import ALL_ROLES, Case


def setup(users):
    from accounts.models import NotificationKind, Unit
    from accounts.notifications.services import notification_emit
    from moderation.models import ItemKind
    from moderation.reports.mailbox import report_email_receive
    from tests.factories import ChannelFactory, ItemFactory

    unit = Unit.objects.get(code="kommunledning")
    channel = ChannelFactory(slug="matris-notify", unit=unit)
    message = ItemFactory(channel=channel, kind=ItemKind.MESSAGE, text="Titta på https://example.se/x")
    raw = (b"From: Anna <anna@example.se>\r\nTo: info@exempelstad.example\r\nSubject: Anm\xc3\xa4lan\r\n"
           b"Message-ID: <matris-1@example.se>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nEn kommentar.\r\n")
    report, _ = report_email_receive(raw=raw)
    for user in users.values():
        notification_emit(kind=NotificationKind.ESCALATION, recipients=[user], title="Matris")
    return {"message": message, "report": report}


CASES = [
    Case("notifications", "/aviseringar/", ALL_ROLES),
    Case("notification settings", "/aviseringar/installningar/", ALL_ROLES),
    Case("notification count", "/aviseringar/antal/", ALL_ROLES, anonymous=286, denied=286),
    Case("notifications read all", "/aviseringar/alla-lasta/", ALL_ROLES, ok=302, method="post"),
    Case("report e-mail", lambda c: f"/granskning/anmalningar/{c['report'].pk}/e-post/", ("moderator",)),
    Case("report from message", lambda c: f"/granskning/inlagg/{c['message'].pk}/anmalan/",
         ("moderator", "administrator"), ok=302, method="post"),
]
