"""Load Exempelstads kommun's demo data. Running it twice changes nothing."""

from django.core.management.base import BaseCommand

from accounts.demo import USERS, demo_password
from config.discovery import app_modules

# Order matters: records registers moderation's removed items, so moderation comes first.
_APPS = ("accounts", "moderation", "records")


class Command(BaseCommand):
    help = "Skapar demokommunen Exempelstads kommun med enheter, användare per roll, kanaler och inlägg."

    def add_arguments(self, parser):
        parser.add_argument("--reset-passwords", action="store_true",
                            help="Sätt om demoanvändarnas lösenord (annars behålls befintliga).")

    def handle(self, *args, reset_passwords=False, **options):
        password, generated = demo_password()
        context: dict = {}
        for module in app_modules("demo", _APPS):
            key = module.__name__
            self.stdout.write(f"Demodata: {key} …")
            if key == "accounts.demo":
                result = module.seed(stdout=self.stdout, password=password, reset_passwords=reset_passwords)
            else:
                result = module.seed(stdout=self.stdout, context=context)
            context[key] = result or {}
        created = context.get("accounts.demo", {}).get("created_users", [])
        self.stdout.write(self.style.SUCCESS("Demokommunen är klar."))
        self.stdout.write("")
        self.stdout.write("Inloggningar (användarnamn – roll):")
        for username, _first, _last, roles, _units in USERS:
            self.stdout.write(f"  {username:<12} {', '.join(str(r) for r in roles)}")
        if generated:
            self.stdout.write(f"Lösenord för alla demoanvändare: {password}")
        else:
            self.stdout.write("Lösenord: värdet i UPPSIKT_DEMO_PASSWORD.")
        if created:
            self.stdout.write(f"Nya användare: {', '.join(created)}")
        for result in context.values():
            for line in result.get("print", []):
                self.stdout.write(line)
