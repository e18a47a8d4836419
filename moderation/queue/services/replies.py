"""Reply templates as the moderator sees them: the template's text with its placeholders filled."""

from __future__ import annotations

from django.conf import settings

from moderation.models import Item, ReplyTemplate

# The placeholders a template may use (Swedish, as the editors write them) and what fills them.
PLACEHOLDERS = {
    "{namn}": "the author's name",
    "{kanal}": "the channel's name",
    "{partier}": "the municipality's page about the parties and politicians (UPPSIKT_POLITICIANS_URL)",
    "{e-tjänst}": "the municipality's e-service for synpunkter and felanmälan (UPPSIKT_ESERVICE_URL)",
}


def reply_text_render(*, template: ReplyTemplate, item: Item) -> str:
    """The template's Swedish text with {namn}, {kanal}, {partier} and {e-tjänst} filled for this item.

    Guarantees: the author's name is the one the reading user may see (a sender masked for secrecy
    stays masked: the author's own `str`); a link not configured for the municipality leaves the
    placeholder's place empty rather than printing the placeholder."""
    author = item.author
    values = {
        "{namn}": str(author) if author is not None else "",
        "{kanal}": item.channel.name,
        "{partier}": settings.UPPSIKT_POLITICIANS_URL or "",
        "{e-tjänst}": settings.UPPSIKT_ESERVICE_URL or "",
    }
    text = template.text_sv
    for key, value in values.items():
        text = text.replace(key, value)
        text = text.replace(key.replace("ä", "a"), value)  # {e-tjanst} typed without the ä
    return text.strip()


def reply_texts(*, item: Item) -> list[tuple[int, str]]:
    """(template id, rendered text) for every active template (one query)."""
    return [(t.pk, reply_text_render(template=t, item=item)) for t in ReplyTemplate.objects.active()]
