"""Permission matrix for the archivist's pages (/arkiv/) and the retention API."""

from tests.matrix import Case

ARCHIVE_READERS = ("archivist", "auditor")
PLAN_READERS = ("registrar", "archivist", "auditor")


def setup(users):
    from records.models import LegalHold, PurgeList, RetentionClass, SubjectRequest
    from tests.factories import CaseFactory

    pl, _ = PurgeList.objects.get_or_create(reference="GL-2026-900", defaults={"cutoff_date": "2026-01-01"})
    sr, _ = SubjectRequest.objects.get_or_create(reference="DSR-2026-900", defaults={"identifiers": {"name": "X"}})
    hold = LegalHold.objects.create(target_type="records.case", target_id="1", reason="Test")
    case = CaseFactory()
    return {"pl": pl, "sr": sr, "hold": hold, "case": case, "cls": RetentionClass.objects.get(code="SM-1")}


CASES = [
    Case("archive overview", "/arkiv/", ARCHIVE_READERS),
    Case("plan", "/arkiv/plan/", PLAN_READERS),
    Case("plan edit", lambda c: f"/arkiv/plan/{c['cls'].pk}/", ("archivist",)),
    Case("due", "/arkiv/forfallet/", ARCHIVE_READERS),
    Case("purge lists", "/arkiv/gallringslistor/", ARCHIVE_READERS),
    Case("purge list detail", lambda c: f"/arkiv/gallringslistor/{c['pl'].pk}/", ARCHIVE_READERS),
    Case("purge list progress", lambda c: f"/arkiv/gallringslistor/{c['pl'].pk}/forlopp/", ARCHIVE_READERS),
    Case("purge list approve", lambda c: f"/arkiv/gallringslistor/{c['pl'].pk}/godkann/", ("archivist",),
         ok=302, method="post"),
    Case("purge log", "/arkiv/gallringslogg/", ARCHIVE_READERS),
    Case("purge log csv", lambda c: f"/arkiv/gallringslogg/{c['pl'].pk}.csv", ARCHIVE_READERS),
    Case("holds", "/arkiv/sparrar/", PLAN_READERS),
    Case("subject requests", "/arkiv/registrerade/", ARCHIVE_READERS),
    Case("subject request new", "/arkiv/registrerade/ny/", ("archivist",)),
    Case("subject request detail", lambda c: f"/arkiv/registrerade/{c['sr'].pk}/", ARCHIVE_READERS),
    Case("delivery", "/arkiv/leverans/", ("registrar", "archivist")),
    Case("case export confirm", lambda c: f"/arkiv/export/{c['case'].pk}/", ("registrar", "archivist")),
    Case("reassign", "/arkiv/klass/moderation.item/1/", ("archivist",)),
    Case("api retention classes", "/api/v1/retention-classes/", PLAN_READERS, anonymous=403),
    Case("api purge lists", "/api/v1/purge-lists/", ARCHIVE_READERS, anonymous=403),
    Case("api subject requests", "/api/v1/subject-requests/", ARCHIVE_READERS, anonymous=403),
    Case("api purge list lines", lambda c: f"/api/v1/purge-lists/{c['pl'].pk}/lines/", ARCHIVE_READERS,
         anonymous=403),
    Case("api legal holds", "/api/v1/legal-holds/", PLAN_READERS, anonymous=403),
    Case("api subject request extend", lambda c: f"/api/v1/subject-requests/{c['sr'].pk}/extend/", ("archivist",),
         ok=400, method="post", anonymous=403),
    Case("api purge list approve", lambda c: f"/api/v1/purge-lists/{c['pl'].pk}/approve/", ("archivist",),
         ok=409, method="post", anonymous=403),
]
