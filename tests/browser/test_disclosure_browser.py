"""A registrar opens a request, masks part of a document, decides and downloads the released PDF."""

import pytest

from records.disclosure import services as svc
from records.pdf import pdf_text
from tests.factories import DocumentFactory, LegalGroundFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = "070-987 65 43"
CONTENT = f"Hej, jag heter Greta. Ring mig på {PHONE} om fakturan för hemtjänsten."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_registrar_masks_document_and_downloads_released_pdf(page, live_server, users, login, axe_check,
                                                              artifacts_dir):
    ground = LegalGroundFactory(code="OSL 26 kap. 1 §", title="Socialtjänst")
    doc = DocumentFactory(content=CONTENT, secret_content=True)
    req = svc.disclosure_request_create(request_text="", channel_in="postlista", documents=[doc])

    page.goto(f"{live_server.url}/postlista/begar/?document={doc.number}")
    assert page.get_by_role("heading", name="Du får vara anonym").is_visible()
    axe_check(page, "det publika formuläret för begäran")

    login(page, "registrar")
    page.goto(f"{live_server.url}/diarium/begaran/")
    page.get_by_role("link", name=req.reference).click()
    assert page.get_by_role("heading", name=f"Begäran {req.reference}").is_visible()
    axe_check(page, "arbetsytan för begäran")
    page.get_by_role("link", name=f"Pröva {doc.number}").click()

    page.get_by_label("Lämnas ut med maskering").check()
    page.get_by_label("Lagrum").select_option(str(ground.pk))
    page.get_by_label("Markera det som ska maskeras med [[ och ]]").fill(CONTENT.replace(PHONE, f"[[{PHONE}]]"))
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.get_by_label("Förhandsgranskning av utlämnad text").inner_text()
    assert PHONE not in preview and "[maskerat]" in preview
    axe_check(page, "sekretessprövningen")
    page.get_by_role("button", name="Spara prövningen").click()
    assert "är sparad" in page.locator(".messages").inner_text()

    page.get_by_role("button", name="Avgör begäran").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Lämna ut som PDF").click()
    path = artifacts_dir / f"{req.reference}.pdf"
    info.value.save_as(str(path))
    text = " ".join(pdf_text(path.read_bytes()).split())
    assert "070-987" not in text and "65 43" not in text
    assert "fakturan för hemtjänsten" in text and doc.number in text
    page.reload()
    assert page.get_by_text("Utlämnad").first.is_visible()
    page.screenshot(path=str(artifacts_dir / "disclosure-workbench.png"), full_page=True)
