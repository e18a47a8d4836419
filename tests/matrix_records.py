"""Permission matrix for the diarium (records) pages and API."""

from tests.matrix import Case

READERS = ("registrar", "archivist", "auditor")
REGISTRAR = ("registrar",)


def setup(users):
    from records.models import RegistrationProposal
    from tests.factories import DocumentFactory

    document = DocumentFactory(secret_content=True)
    proposal, _ = RegistrationProposal.objects.get_or_create(
        source_type="test.none", source_id="1", reason="removed_inappropriate")
    return {"document": document, "case": document.case, "proposal": proposal,
            "marking": document.secrecy_markings.first()}


CASES = [
    Case("diarium case list", "/diarium/", READERS),
    Case("diarium inbox", "/diarium/inkorg/", READERS),
    Case("diarium proposal form", lambda c: f"/diarium/inkorg/{c['proposal'].pk}/", REGISTRAR),
    Case("diarium proposal decline", lambda c: f"/diarium/inkorg/{c['proposal'].pk}/avboj/", REGISTRAR,
         ok=302, method="post", data={"reason": "Inte av intresse"}),
    Case("diarium register source", "/diarium/registrera/test.none/1/", REGISTRAR),
    Case("diarium case create", "/diarium/arenden/nytt/", REGISTRAR),
    Case("diarium case page", lambda c: f"/diarium/arenden/{c['case'].pk}/", READERS),
    Case("diarium case close", lambda c: f"/diarium/arenden/{c['case'].pk}/avsluta/", REGISTRAR, ok=302,
         method="post"),
    Case("diarium case reopen", lambda c: f"/diarium/arenden/{c['case'].pk}/oppna/", REGISTRAR, ok=302,
         method="post"),
    Case("diarium document create", lambda c: f"/diarium/arenden/{c['case'].pk}/ny-handling/", REGISTRAR),
    Case("diarium document list", "/diarium/handlingar/", READERS),
    Case("diarium document page", lambda c: f"/diarium/handlingar/{c['document'].pk}/", READERS),
    Case("diarium document void", lambda c: f"/diarium/handlingar/{c['document'].pk}/makulera/", REGISTRAR,
         ok=302, method="post", data={"reason": "Fel"}),
    Case("diarium document describe", lambda c: f"/diarium/handlingar/{c['document'].pk}/beskrivning/",
         REGISTRAR, ok=302, method="post", data={"description": "Ny"}),
    Case("diarium secrecy mark", lambda c: f"/diarium/handlingar/{c['document'].pk}/sekretess/", REGISTRAR,
         ok=302, method="post", data={"part": "sender"}),
    Case("diarium secrecy lift", lambda c: f"/diarium/sekretess/{c['marking'].pk}/hav/", REGISTRAR, ok=302,
         method="post", data={"reason": "Prövad"}),
    Case("diarium search", "/diarium/sok/?q=snö", READERS),
    Case("document history", lambda c: f"/historik/records/document/{c['document'].pk}/", READERS),
    Case("case history", lambda c: f"/historik/records/case/{c['case'].pk}/", READERS),
    Case("postlista", "/postlista/", (), ok=200, anonymous=200, denied=200),
    Case("api series", "/api/v1/series/", ("registrar", "archivist", "auditor", "administrator"), anonymous=403),
    Case("api cases", "/api/v1/cases/", READERS, anonymous=403),
    Case("api case", lambda c: f"/api/v1/cases/{c['case'].pk}/", READERS, anonymous=403),
    Case("api documents", "/api/v1/documents/", READERS, anonymous=403),
    Case("api document", lambda c: f"/api/v1/documents/{c['document'].pk}/", READERS, anonymous=403),
    Case("api document create", "/api/v1/documents/", REGISTRAR, ok=400, anonymous=403, method="post"),
    Case("api proposals", "/api/v1/registration-proposals/", READERS, anonymous=403),
    # the diarium's registrar tools and the main-diarium export (issue 9 item 7, issue 13 item 6)
    Case("diarium case picker", "/diarium/arenden/valj/?case_search=snö", READERS),
    Case("diarium document create (picker)", "/diarium/handlingar/ny/", REGISTRAR),
    Case("diarium bulk accept", "/diarium/inkorg/diariefor/", REGISTRAR, ok=302, method="post",
         data={"proposals": ["0"]}),
    Case("diarium registrations export", "/diarium/export/", REGISTRAR),
    Case("api registrations export", "/api/v1/documents/export/?date_from=2026-01-01&date_to=2026-01-31",
         REGISTRAR, anonymous=403),
    Case("api bulk accept", "/api/v1/registration-proposals/bulk-accept/", REGISTRAR, ok=400, anonymous=403,
         method="post"),
    # the e-archive: receipts and the archive's reports (issue 9 item 8)
    Case("archive description", "/arkiv/arkivbeskrivning.pdf", READERS),
    Case("archive inventory", "/arkiv/arkivforteckning.pdf", READERS),
    Case("api archive deliveries", "/api/v1/archive-deliveries/", READERS, anonymous=403),
    Case("api archive description", "/api/v1/archive-reports/description/", READERS, anonymous=403),
    Case("api archive inventory", "/api/v1/archive-reports/inventory/", READERS, anonymous=403),
]
