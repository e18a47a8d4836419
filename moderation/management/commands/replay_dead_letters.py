"""Send dead and partly processed webhook deliveries through processing again (after a fix); only their
failed changes are retried."""

from django.core.management.base import BaseCommand

from moderation.models import WebhookDelivery, WebhookStatus
from moderation.platforms.ingest import webhook_delivery_process


class Command(BaseCommand):
    help = "Kör om misslyckade webhook-leveranser (alla, eller --channel SLUG / --id N)."

    def add_arguments(self, parser):
        parser.add_argument("--channel", help="Bara leveranser till denna kanal (slug).")
        parser.add_argument("--id", type=int, action="append", dest="ids", help="Leveransens nummer (kan upprepas).")

    def handle(self, *args, channel=None, ids=None, **options):
        replayable = (WebhookStatus.DEAD, WebhookStatus.PARTIAL)
        deliveries = WebhookDelivery.objects.filter(status__in=replayable, signature_valid=True)
        if channel:
            deliveries = deliveries.filter(channel__slug=channel)
        if ids:
            deliveries = deliveries.filter(pk__in=ids)
        counts: dict[str, int] = {}
        for pk in list(deliveries.values_list("pk", flat=True)):
            # Processed here, in this process (no worker needed); the audit trail is the command's output.
            WebhookDelivery.objects.filter(pk=pk, status__in=replayable).update(status=WebhookStatus.RECEIVED,
                                                                                error="")
            outcome = str(webhook_delivery_process(delivery_id=pk))
            counts[outcome] = counts.get(outcome, 0) + 1
            self.stdout.write(f"leverans {pk}: {outcome}")
        self.stdout.write(f"Klart: {counts or 'inga misslyckade leveranser'}")
