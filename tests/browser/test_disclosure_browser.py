"""A registrar masks a comment by selecting text, sees the copy as it will be delivered, decides and
downloads the released PDF; without JavaScript the [[ ]] fallback still works. axe-core on every page."""

import pytest
from playwright.sync_api import expect

from records.disclosure import services as svc
from records.pdf import pdf_text
from tests.factories import PASSWORD, DocumentFactory, LegalGroundFactory
from tests.factories_moderation import ItemFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = "070-987 65 43"
TEXT = f"Hej 👋 jag heter Greta. Ring mig på {PHONE} om fakturan för hemtjänsten."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


SELECT = """([needle]) => {
  const source = document.getElementById('mask-source');
  const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(needle);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }
  }
  return false;
}"""


def test_registrar_masks_comment_by_selecting_text_and_downloads_released_pdf(page, live_server, users, login,
                                                                             axe_check, artifacts_dir):
    ground = LegalGroundFactory(code="OSL 26 kap. 1 §", title="Socialtjänst")
    item = ItemFactory(text=TEXT)
    req = svc.disclosure_request_create(request_text="", channel_in="postlista",
                                        targets=[("moderation.item", item.pk)])

    page.goto(f"{live_server.url}/postlista/begar/")
    assert page.get_by_role("heading", name="Du får vara anonym").is_visible()
    axe_check(page, "det publika formuläret för begäran")

    login(page, "registrar")
    page.goto(f"{live_server.url}/diarium/begaran/")
    page.get_by_role("link", name=req.reference).click()
    assert page.get_by_role("heading", name=f"Begäran {req.reference}").is_visible()
    axe_check(page, "arbetsytan för begäran")
    page.get_by_role("link", name=f"Pröva Kommentar {item.pk}").click()

    expect(page.get_by_role("button", name="Maskera markerad text")).to_be_visible()  # the deferred script ran
    assert not page.get_by_label("Markera det som ska maskeras med [[ och ]]").is_visible()  # script replaces it
    assert page.evaluate(SELECT, [PHONE])
    page.get_by_role("button", name="Maskera markerad text").click()
    preview = page.get_by_label("Förhandsgranskning av utlämnad text")
    assert PHONE not in preview.inner_text() and "Ring mig på [maskerat] om fakturan" in preview.inner_text()
    assert "👋" in preview.inner_text()
    assert page.get_by_label("Lämnas ut med maskering (delvis avslag)").is_checked()
    start = TEXT.index(PHONE)  # code points: the emoji before it counts as one
    assert page.get_by_label("Maskerade avsnitt (teckenpositioner start–slut)").input_value() == (
        f"{start}-{start + len(PHONE)}")
    assert page.locator("#mask-list q").inner_text() == PHONE

    page.get_by_label("Maskera en text överallt där den förekommer").fill("Greta")
    page.get_by_role("button", name="Maskera texten").click()
    assert "Greta" not in preview.inner_text()
    page.get_by_role("button", name="Ta bort maskeringen av Greta").click()
    assert "jag heter Greta" in preview.inner_text()
    page.screenshot(path=str(artifacts_dir / "disclosure-review-selection.png"), full_page=True)
    axe_check(page, "sekretessprövningen med markering")

    page.get_by_label("Lagrum", exact=True).select_option(str(ground.pk))
    page.get_by_role("button", name="Spara prövningen").click()
    assert "är sparad" in page.locator(".messages").inner_text()
    target = req.items.get()
    assert target.mask_spans == [[start, start + len(PHONE)]]

    page.get_by_role("button", name="Avsluta prövningen").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Lämna ut som PDF").click()
    path = artifacts_dir / f"{req.reference}.pdf"
    info.value.save_as(str(path))
    text = " ".join(pdf_text(path.read_bytes()).split())
    assert "070-987" not in text and "65 43" not in text
    assert "fakturan för hemtjänsten" in text and f"Kommentar {item.pk}" in text
    assert "1 avsnitt i innehållet enligt OSL 26 kap. 1 §" in text and "skriftligt beslut" in text
    page.reload()
    assert page.get_by_text("Besked lämnat").first.is_visible()
    axe_check(page, "arbetsytan efter utlämnandet")
    page.screenshot(path=str(artifacts_dir / "disclosure-workbench.png"), full_page=True)


def test_registrar_without_javascript_masks_with_brackets(browser, live_server, users):
    ground = LegalGroundFactory(code="OSL 26 kap. 1 §", title="Socialtjänst")
    doc = DocumentFactory(content=TEXT, secret_content=True)
    req = svc.disclosure_request_create(request_text="", channel_in="email", documents=[doc])
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("registrar")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{live_server.url}/diarium/begaran/{req.pk}/handlingar/{req.items.get().pk}/")
    assert not page.get_by_role("button", name="Maskera markerad text").is_visible()
    page.get_by_label("Lämnas ut med maskering (delvis avslag)").check()
    page.get_by_label("Lagrum", exact=True).select_option(str(ground.pk))
    page.get_by_label("Markera det som ska maskeras med [[ och ]]").fill(TEXT.replace(PHONE, f"[[{PHONE}]]"))
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.get_by_label("Förhandsgranskning av utlämnad text").inner_text()
    assert PHONE not in preview and "[maskerat]" in preview
    page.get_by_role("button", name="Spara prövningen").click()
    assert "är sparad" in page.locator(".messages").inner_text()
    start = TEXT.index(PHONE)
    assert req.items.get().mask_spans == [[start, start + len(PHONE)]]
    context.close()
