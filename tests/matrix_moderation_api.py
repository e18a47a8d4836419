"""Permission matrix for the moderation API (/api/v1/channels, items and their actions, rules,
authors, reports)."""

from tests.matrix import ALL_ROLES, Case

MODERATE = ("moderator", "administrator")
REPORTS = ("moderator", "administrator", "auditor")


def setup(users):
    from accounts.models import Unit
    from tests.factories_moderation import AuthorFactory, ChannelFactory, ItemFactory

    unit = Unit.objects.get(code="kommunledning")
    channel = ChannelFactory(slug="matrix-kanal", unit=unit)
    author = AuthorFactory(channel=channel, external_id="matrix-author")
    return {"channel": channel, "item": ItemFactory(channel=channel, author=author), "author": author}


CASES = [
    Case("api channels", "/api/v1/channels/", ALL_ROLES, anonymous=403),
    Case("api channel", lambda c: f"/api/v1/channels/{c['channel'].pk}/", ALL_ROLES, anonymous=403),
    Case("api items", "/api/v1/items/", ALL_ROLES, anonymous=403),
    Case("api item", lambda c: f"/api/v1/items/{c['item'].pk}/", ALL_ROLES, anonymous=403),
    Case("api item claim", lambda c: f"/api/v1/items/{c['item'].pk}/claim/", MODERATE, anonymous=403,
         method="post"),
    Case("api item release", lambda c: f"/api/v1/items/{c['item'].pk}/release/", MODERATE, anonymous=403,
         method="post"),
    Case("api item decide", lambda c: f"/api/v1/items/{c['item'].pk}/decide/", MODERATE, anonymous=403,
         method="post", data={"action": "keep"}),
    Case("api items bulk-decide", "/api/v1/items/bulk-decide/", MODERATE, anonymous=403, method="post",
         data={"items": [1], "action": "keep"}),
    Case("api rules", "/api/v1/rules/", ALL_ROLES, anonymous=403),
    Case("api authors", "/api/v1/authors/", ALL_ROLES, anonymous=403),
    Case("api author", lambda c: f"/api/v1/authors/{c['author'].pk}/", ALL_ROLES, anonymous=403),
    Case("api author warn", lambda c: f"/api/v1/authors/{c['author'].pk}/warn/", MODERATE, anonymous=403,
         method="post", ok=201, data={"reason": "Svordomar i flera kommentarer"}),
    Case("api author suspend", lambda c: f"/api/v1/authors/{c['author'].pk}/suspend/", MODERATE, anonymous=403,
         method="post", ok=201, data={"reason": "Upprepade hot", "days": 7}),
    Case("api reports", "/api/v1/reports/", REPORTS, anonymous=403),
    Case("api report create", "/api/v1/reports/", ("moderator", "administrator"), anonymous=403, method="post",
         ok=201, data={"text": "En kommentar som kom in via e-post", "via": "email"}),
]
