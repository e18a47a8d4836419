"""Permission matrix for the platform connectors' staff pages (the webhook itself is public: signed)."""

from tests.matrix import ALL_ROLES, Case


def setup(users):
    from accounts.models import Unit
    from moderation.models import Platform, WebhookDelivery, WebhookStatus
    from tests.factories import ChannelFactory

    channel = ChannelFactory(slug="matris-facebook", platform=Platform.FACEBOOK, unit=Unit.objects.get(
        code="kommunledning"))
    delivery = WebhookDelivery.objects.create(channel=channel, platform=channel.platform, body=b"{}",
                                              signature_valid=True, status=WebhookStatus.DEAD, error="test")
    return {"channel": channel, "delivery": delivery}


CASES = [
    Case("channel health", lambda c: f"/kanaler/{c['channel'].slug}/halsa/", ALL_ROLES),
    Case("dead letters", "/kanaler/dodsbrev/", ("moderator", "administrator")),
    Case("dead letter replay", lambda c: f"/kanaler/dodsbrev/{c['delivery'].pk}/kor-om/",
         ("moderator", "administrator"), ok=302, method="post"),
    Case("channel credentials", lambda c: f"/kanaler/{c['channel'].slug}/uppgifter/", ("administrator",)),
    Case("channel credentials save", lambda c: f"/kanaler/{c['channel'].slug}/uppgifter/", ("administrator",),
         ok=302, method="post", data={"verify_token": "matrix-token"}),
]
