"""Poll YouTube and LinkedIn channels now (all active ones, or --channel SLUG), in this process."""

from django.core.management.base import BaseCommand, CommandError

from moderation.models import Channel, Platform
from moderation.platforms.polling import channel_poll


class Command(BaseCommand):
    help = "Hämtar kommentarer från YouTube- och LinkedIn-kanaler (som saknar push)."

    def add_arguments(self, parser):
        parser.add_argument("--channel", help="Kanalens kortnamn (slug); annars alla aktiva.")
        parser.add_argument("--max-pages", type=int, default=20)

    def handle(self, *args, channel=None, max_pages=20, **options):
        channels = Channel.objects.active().filter(platform__in=[Platform.YOUTUBE, Platform.LINKEDIN])
        if channel:
            channels = channels.filter(slug=channel)
            if not channels.exists():
                raise CommandError(f"Ingen aktiv YouTube- eller LinkedIn-kanal med kortnamnet {channel}.")
        for ch in channels:
            result = channel_poll(channel=ch, max_pages=max_pages)
            self.stdout.write(f"{ch.slug}: {result}")
