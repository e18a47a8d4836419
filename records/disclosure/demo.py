"""Demo requests for public documents (runs after records' diarium demo; idempotent).

1. The default deciding body: Kommunstyrelsen, delegationsordning punkt 1.3, registrator; decisions
   get a case each in series KS.
2. A pending request that holds a document against purging from the moment it arrived (JO 3434-2016).
3. An anonymous request from the postlista for a document with secret content, released with
   masking (contact details and personal identity numbers, else its middle third) and delivered:
   the cover letter tells what was masked and offers the authority's decision.
4. A refusal told to the requester with the offer of the authority's decision (OSL 6 kap. 3 §).
5. The authority's decision issued and registered, with its appeal window running (FL 44 §).
6. A request for a comment that is only kept in order (not registered), released after review.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from records.models import DisclosureDecisionSetting, DisclosureRequest, Document, LegalGround, Series

PENDING_TEXT = "Demo: begäran om en handling som ännu inte är prövad (handlingen är spärrad mot gallring)."
MASKED_TEXT = "Demo: begäran via postlistan om en handling med sekretessbelagt innehåll."
NOTIFIED_TEXT = "Demo: avslag meddelat med upplysning om rätten till myndighetens beslut."
REFUSED_TEXT = "Demo: avslag där sökanden begärt myndighetens beslut; överklagandetiden löper."
COMMENT_TEXT = "Demo: begäran om en kommentar som hålls ordnad (inte diarieförd)."
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


def _setting() -> None:
    if DisclosureDecisionSetting.objects.filter(unit__isnull=True).exists():
        return
    DisclosureDecisionSetting.objects.create(
        deciding_body="Kommunstyrelsen", delegation="delegationsordning punkt 1.3", delegate_title="registrator",
        appeal_court="Kammarrätten i Stockholm", series=Series.objects.filter(code="KS").first(),
    )


def _exists(text: str) -> bool:
    return DisclosureRequest.objects.filter(request_text=text).exists()


def _create(svc, text, registrar, **kwargs):
    return svc.disclosure_request_create(request_text=text, channel_in=kwargs.pop("channel_in", "email"),
                                         actor=registrar, **kwargs)


def _refused(svc, text, doc, ground, registrar):
    req = _create(svc, text, registrar, documents=[doc], requester_name="Journalisten Jansson",
                  requester_contact="jansson@example.se")
    svc.disclosure_review(item=req.items.get(), outcome="refuse", actor=registrar, legal_ground=ground,
                          reasoning="Uppgifterna rör en enskilds personliga förhållanden.")
    svc.disclosure_decide(request=req, actor=registrar)
    return req


def _kept_comment():
    from records.disclosure import targets

    source = next((s for s in targets.sources() if s.key == "item"), None)
    if source is None or source.search is None:
        return None
    return next((r for r in source.search("", 200) if not r.registered_as and not r.secret_parts and r.text), None)


def seed(*, stdout, context) -> dict:
    from accounts.models import User
    from records.disclosure import services as svc

    registrar = User.objects.filter(username="registrar").first()
    secret_docs = list(_secret_content_documents()[:3])
    if registrar is None or not secret_docs:
        stdout.write("  (begäranden om allmän handling: ingen handling med sekretessbelagt innehåll än – hoppar över)")
        return {}
    lines: list[str] = []
    ground = secret_docs[0].active_markings()[0].legal_ground if secret_docs[0].active_markings() else (
        LegalGround.objects.active().first())
    other = Document.objects.public().exclude(pk__in=[d.pk for d in secret_docs]).order_by("-id").first()
    refused_doc = secret_docs[1] if len(secret_docs) > 1 else secret_docs[0]
    with transaction.atomic():
        _setting()
        if other is not None and not _exists(PENDING_TEXT):
            req = _create(svc, PENDING_TEXT, registrar, documents=[other], channel_in="phone")
            lines.append(f"Begäran {req.reference}: inkommen, {other.number} spärrad mot gallring.")
        if not _exists(MASKED_TEXT):
            doc = secret_docs[0]
            req = svc.disclosure_request_create(request_text=MASKED_TEXT, channel_in="postlista", documents=[doc])
            whole = [{"part": m.part, "legal_ground": m.legal_ground.code} for m in doc.active_markings()
                     if m.part != "content"]
            svc.disclosure_review(item=req.items.get(), outcome="release_masked", actor=registrar,
                                  legal_ground=ground, mask_spans=_spans(doc.content), masked_parts=whole,
                                  reasoning="Kontaktuppgifter och personnummer maskeras (demo).")
            svc.disclosure_decide(request=req, actor=registrar)
            svc.disclosure_deliver(request=req, actor=registrar, format="pdf")
            lines.append(f"Begäran {req.reference}: utlämnad med maskering ({doc.number}).")
        if not _exists(NOTIFIED_TEXT):
            req = _refused(svc, NOTIFIED_TEXT, refused_doc, ground, registrar)
            svc.disclosure_answer(request=req, actor=registrar, means="email")
            lines.append(f"Begäran {req.reference}: avslag meddelat med upplysning om myndighetens beslut.")
        if not _exists(REFUSED_TEXT):
            req = _refused(svc, REFUSED_TEXT, refused_doc, ground, registrar)
            svc.disclosure_answer(request=req, actor=registrar, means="phone")
            letter = svc.disclosure_decision_issue(
                request=req, actor=registrar,
                reasoning="Det står inte klart att uppgifterna kan röjas utan att den enskilde lider men.")
            svc.disclosure_decision_notified(request=req, actor=registrar, notified_on=timezone.localdate())
            lines.append(f"Begäran {req.reference}: myndighetens beslut {letter.document.number}; överklagandetiden "
                         f"löper till {svc.disclosure_appeal_window_end(req):%Y-%m-%d}.")
        comment = _kept_comment()
        if comment is not None and not _exists(COMMENT_TEXT):
            req = _create(svc, COMMENT_TEXT, registrar, targets=[(comment.type, comment.id)])
            svc.disclosure_review(item=req.items.get(), outcome="release", actor=registrar)
            lines.append(f"Begäran {req.reference}: {comment.label} (hålls ordnad) prövad, lämnas ut.")
    return {"print": lines}
