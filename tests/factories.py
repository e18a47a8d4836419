"""factory-boy factories with fixed defaults and traits.

Apps add their factories in tests/factories_<app>.py; they are re-exported here so tests import
everything from `tests.factories`.
"""

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from accounts.models import Role, Unit, User

PASSWORD = "Demo-losenord-2026"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"enhet-{n}")
    name = factory.Sequence(lambda n: f"Enhet {n}")
    description = "Testenhet"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = "Användare"
    email = factory.LazyAttribute(lambda u: f"{u.username}@exempelstad.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        moderator = factory.Trait(roles=[Role.MODERATOR])
        registrar = factory.Trait(roles=[Role.REGISTRAR])
        archivist = factory.Trait(roles=[Role.ARCHIVIST])
        administrator = factory.Trait(roles=[Role.ADMINISTRATOR])
        auditor = factory.Trait(roles=[Role.AUDITOR])

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=[str(r) for r in extracted]))
        self.save()

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            for unit in extracted:
                unit.members.add(self)


try:  # re-export per-app factories as apps add them
    from tests.factories_moderation import *  # noqa: F401,F403
except ModuleNotFoundError:
    pass
try:
    from tests.factories_records import *  # noqa: F401,F403
except ModuleNotFoundError:
    pass
