"""Demo requests for public documents (runs after records' demo; idempotent).

1. An anonymous request from the postlista for a document with secret content, reviewed as a
   release with masking (phone numbers, e-mail addresses and personal identity numbers in the
   content, else its middle third) and delivered.
2. A refused request with the authority's decision (PDF letter); the hold against purging stays.
"""

from __future__ import annotations

import re

from django.db import transaction

from records.models import DisclosureRequest, Document, LegalGround

MASKED_TEXT = "Demo: begäran via postlistan om en handling med sekretessbelagt innehåll."
REFUSED_TEXT = "Demo: begäran om en handling som inte lämnas ut (avslag med myndighetens beslut)."
_SENSITIVE = re.compile(
    r"(\b\d{6,8}[-+]?\d{4}\b)|(\b0\d{1,3}[- ]?\d{2,3}[ -]?\d{2}[ -]?\d{2}\b)|([\w.+-]+@[\w-]+\.[\w.]+)"
)


def _spans(content: str) -> list[list[int]]:
    spans = [[m.start(), m.end()] for m in _SENSITIVE.finditer(content)]
    if not spans and len(content) >= 3:
        # No contact details or identity numbers: mask the middle third, widened to whole words.
        start, end = len(content) // 3, 2 * len(content) // 3
        while start > 0 and not content[start - 1].isspace():
            start -= 1
        while end < len(content) and not content[end].isspace():
            end += 1
        spans = [[start, end]]
    return spans


def _secret_content_documents():
    return (Document.objects.public()
            .filter(secrecy_markings__part="content", secrecy_markings__lifted_at__isnull=True)
            .exclude(content="").order_by("id").distinct())


def seed(*, stdout, context) -> dict:
    from accounts.models import User
    from records.disclosure import services as svc

    registrar = User.objects.filter(username="registrar").first()
    lines: list[str] = []
    secret_docs = list(_secret_content_documents()[:2])
    others = list(Document.objects.public().exclude(pk__in=[d.pk for d in secret_docs])
                  .filter(secrecy_markings__lifted_at__isnull=True, secrecy_markings__isnull=False)
                  .order_by("id").distinct()[:1])
    others = others or list(Document.objects.public().exclude(pk__in=[d.pk for d in secret_docs]).order_by("id")[:1])
    if registrar is None or not secret_docs:
        stdout.write("  (begäranden om allmän handling: ingen handling med sekretessbelagt innehåll än – hoppar över)")
        return {}
    ground = (secret_docs[0].active_markings()[0].legal_ground if secret_docs[0].active_markings()
              else LegalGround.objects.active().first())

    with transaction.atomic():
        if not DisclosureRequest.objects.filter(request_text=MASKED_TEXT).exists():
            doc = secret_docs[0]
            req = svc.disclosure_request_create(request_text=MASKED_TEXT, channel_in="postlista", documents=[doc])
            svc.disclosure_review(item=req.items.get(), outcome="release_masked", actor=registrar,
                                  legal_ground=ground, mask_spans=_spans(doc.content),
                                  note="Kontaktuppgifter och personnummer maskeras (demo).")
            svc.disclosure_decide(request=req, actor=registrar)
            svc.disclosure_deliver(request=req, actor=registrar, format="pdf")
            lines.append(f"Begäran {req.reference}: utlämnad med maskering ({doc.number}).")
        refused_doc = secret_docs[1] if len(secret_docs) > 1 else (others[0] if others else None)
        if refused_doc is not None and not DisclosureRequest.objects.filter(request_text=REFUSED_TEXT).exists():
            markings = refused_doc.active_markings()
            refusal_ground = markings[0].legal_ground if markings else ground
            req = svc.disclosure_request_create(request_text=REFUSED_TEXT, channel_in="email",
                                                requester_name="Journalisten Jansson",
                                                requester_contact="jansson@example.se", documents=[refused_doc],
                                                actor=registrar)
            svc.disclosure_review(item=req.items.get(), outcome="refuse", actor=registrar,
                                  legal_ground=refusal_ground)
            svc.disclosure_decide(request=req, actor=registrar)
            svc.disclosure_authority_decision(request=req, actor=registrar)
            lines.append(f"Begäran {req.reference}: avslag med myndighetens beslut; {refused_doc.number} är spärrad "
                         "mot gallring.")
    return {"print": lines}
