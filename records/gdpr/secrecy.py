"""The secrecy side of data-subject requests: the search and the extract as the user who runs them
may see them.

A data-subject search is a search like any other: a hit on a secret part confirms what that part
says (a name typed as the subject's name finds the document whose sender is secret; any word finds
the secret content that holds it). So, for a user without `records.view_secret`, a secret part is
not searched: a hit is kept only for what matched in parts the user may see, its "matched on" says
only that, and secret content in it is masked. A user who may see secret information gets every hit,
and each delivery of a secret part is audited as a view of secret content (`secret_viewed`), not only
as a data-subject event. Secrecy to protect a person does not apply against that person (OSL 12 kap.
1 §), but whether it does is for someone who may read the information to decide: the extract says
that such information is examined separately.
"""

from __future__ import annotations

from collections import defaultdict

from records import registry
from records.secrecy.services import may_view_secret, secret_viewed_audit, target_secrecy

MASK_CONTENT = "[sekretess: uppgiften omfattas av sekretess och prövas särskilt]"
SECRECY_NOTE = (
    "Uppgifter som omfattas av sekretess (offentlighets- och sekretesslagen) har inte sökts igenom eller "
    "tagits med av den som sammanställt utdraget. Sekretess till skydd för dig gäller normalt inte mot dig "
    "själv (OSL 12 kap. 1 §); sådana uppgifter prövas av en handläggare med behörighet och lämnas i så fall "
    "separat."
)

# What each "matched on" reason of a hit read: the sender (the account, its name) or the content.
_SENDER_REASONS = ("avsändare", "plattformskonto", "tidigare namn")


def _reason_part(reason: str) -> str:
    return "sender" if any(word in reason for word in _SENDER_REASONS) and "i texten" not in reason else "content"


def _document_parts(ids: list[str]) -> dict[str, dict[str, str]]:
    from records.models import Document

    docs = Document.objects.filter(pk__in=[int(i) for i in ids if i.isdecimal()])
    return {str(d.pk): {"sender": d.sender, "description": d.description, "content": d.content}
            for d in docs.only("pk", "sender", "description", "content")}


def _document_reasons(parts: dict[str, str], secret: set[str], query: registry.SubjectQuery) -> list[str]:
    from records.gdpr.services import identifier_matches

    why: list[str] = []
    if "sender" not in secret and query.name and query.name.casefold() in (parts["sender"] or "").casefold():
        why.append("avsändare")
    visible = "\n".join(text or "" for part, text in parts.items() if part not in secret)
    return why + identifier_matches(visible, query)


def _masked_hit(hit: registry.SubjectHit, secret: set[str], query, documents) -> registry.SubjectHit | None:
    if hit.type == "records.document" and hit.id in documents:
        reasons = _document_reasons(documents[hit.id], secret, query)
    else:
        reasons = [r for r in (x.strip() for x in hit.why.split(",")) if r and _reason_part(r) not in secret]
    if not reasons:
        return None
    extra = dict(hit.extra or {})
    if "content" in secret:
        if extra.get("text"):
            extra["text"] = MASK_CONTENT
        extra.pop("files", None)  # a picture of secret content cannot be masked: it is left out
    return registry.SubjectHit(**{**hit.__dict__, "why": ", ".join(dict.fromkeys(reasons)), "extra": extra})


def subject_hits_for_user(hits: list[registry.SubjectHit], query: registry.SubjectQuery, user, *,
                          surface: str, request=None) -> list[registry.SubjectHit]:
    """The hits as `user` may see them (see the module): for users without the right, hits only on
    parts they may see, secret content masked; for users with it, every hit, each secret one audited.
    A constant number of queries per kind of hit."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for hit in hits:
        by_type[hit.type].append(str(hit.id))
    secrecy = {t: target_secrecy(t, ids) for t, ids in by_type.items()}
    allowed = may_view_secret(user)
    documents = {} if allowed else _document_parts(by_type.get("records.document", []))
    result = []
    for hit in hits:
        secret = secrecy.get(hit.type, {}).get(str(hit.id), set())
        if not secret:
            result.append(hit)
        elif allowed:
            secret_viewed_audit(user=user, target=(hit.type, hit.id, hit.label), parts=secret, surface=surface,
                                request=request)
            result.append(hit)
        elif (masked := _masked_hit(hit, secret, query, documents)) is not None:
            result.append(masked)
    return result
