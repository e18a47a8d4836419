"""The legal basis for showing residents' names on the municipality's accounts, for the item page.

A public authority does not rest on consent (GDPR art. 6.1 a) for what it must do: publishing and
keeping what residents write on its accounts is a task in the public interest and the exercise of
official authority (art. 6.1 e; for the records, also TF 2 kap. and arkivlagen). The policy's own
words about interaction "counting as consent" are shown beside that basis, not instead of it.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def name_legal_basis() -> dict:
    return {
        "basis": _("Allmänt intresse och myndighetsutövning (dataskyddsförordningen art. 6.1 e)"),
        "explanation": _("Kommunen visar och bevarar namnet eftersom kommentarer på kommunens konton är allmänna "
                         "handlingar som kommunen ska ta emot, hålla ordnade och bevara. Den rättsliga grunden "
                         "är inte samtycke."),
        "policy_text": getattr(settings, "UPPSIKT_INTERACTION_POLICY_TEXT", ""),
        "policy_source": getattr(settings, "UPPSIKT_INTERACTION_POLICY_SOURCE", ""),
    }
