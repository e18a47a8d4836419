"""PDF renderings and masking (records.pdf; no database)."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from records.pdf import MASK_MARKER, apply_masks, pdf_text, render_letter_pdf, render_text_pdf

SECRET = "19800101-1234"


def _normalized(text: str) -> str:
    return " ".join(text.split())


def test_render_text_pdf_swedish_letters_round_trip():
    data = render_text_pdf(
        title="Kommentar från Åsa Öberg",
        meta=[("Diarienummer", "KS 2026/12-3"), ("Avsändare", "Ärla Ågren")],
        body="Räksmörgås på Östermalm, ÅÄÖ åäö é ü.\n\nAndra stycket – med tankstreck.",
        footer="Exempelstads kommun",
    )
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in ("Kommentar från Åsa Öberg", "Ärla Ågren", "Räksmörgås på Östermalm, ÅÄÖ åäö é ü."):
        assert expected in text
    assert "Sida 1 av 1" in text


def test_render_text_pdf_metadata_title_embedded_font_not_encrypted():
    data = render_text_pdf(title="Handling KS 2026/12-3", meta=[], body="Text")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Handling KS 2026/12-3"
    assert not reader.is_encrypted
    assert b"/FontFile2" in data  # the TrueType font program is embedded


def test_render_text_pdf_same_input_identical_bytes():
    first = render_text_pdf(title="T", meta=[("A", "B")], body="Samma text")
    second = render_text_pdf(title="T", meta=[("A", "B")], body="Samma text")
    assert first == second


def test_render_text_pdf_long_body_numbers_every_page():
    body = "\n\n".join(f"Stycke {i}: " + "lorem ipsum " * 40 for i in range(40))
    text = pdf_text(render_text_pdf(title="Lång", meta=[], body=body))
    pages = text.count("Sida ")
    assert pages >= 2
    assert f"Sida 1 av {pages}" in text
    assert f"Sida {pages} av {pages}" in text


def test_render_text_pdf_markup_characters_kept_literally():
    text = pdf_text(render_text_pdf(title="<b>x</b> & y", meta=[], body="a < b > c & <i>d</i>"))
    assert "<b>x</b> & y" in text
    assert "a < b > c & <i>d</i>" in text


def test_apply_masks_secret_removed_from_text_and_rendered_pdf():
    original = f"Jag heter Kalle och mitt personnummer är {SECRET}, ring mig."
    start = original.index(SECRET)
    masked = apply_masks(original, [(start, start + len(SECRET))])
    assert SECRET not in masked
    assert masked == f"Jag heter Kalle och mitt personnummer är {MASK_MARKER}, ring mig."
    text = pdf_text(render_text_pdf(title="Utlämnad kopia", meta=[], body=masked))
    assert SECRET not in text
    assert SECRET.replace("-", "") not in _normalized(text).replace("-", "")
    assert MASK_MARKER in text


def test_apply_masks_overlapping_and_adjacent_spans_single_marker():
    assert apply_masks("abcdefghij", [(6, 8), (1, 3), (2, 4), (4, 5)]) == "a[maskerat]f[maskerat]ij"
    assert apply_masks("abcdef", [(0, 6)], marker="█") == "█"


def test_apply_masks_no_spans_returns_text_unchanged():
    assert apply_masks("oförändrad", []) == "oförändrad"


@pytest.mark.parametrize("span", [(-1, 2), (3, 2), (0, 11), (2, 2), (1.0, 2)])
def test_apply_masks_invalid_span_raises_value_error(span):
    with pytest.raises(ValueError):
        apply_masks("0123456789", [span])


def test_render_letter_pdf_refusal_contains_heading_legal_ground_and_appeal():
    data = render_letter_pdf(
        sender_org="Exempelstads kommun, kommunstyrelsen",
        recipient="Sökande\nStorgatan 1\n123 45 Exempelstad",
        date=date(2026, 3, 12),
        reference="KS 2026/40",
        heading="Beslut om avslag på begäran om allmän handling",
        paragraphs=[
            "Begäran att få ta del av handling KS 2026/12-3 avslås.",
            "Skäl: uppgifterna omfattas av sekretess enligt 26 kap. 1 § offentlighets- och sekretesslagen (2009:400).",
            "Hur man överklagar: beslutet kan överklagas till kammarrätten. Skrivelsen ska ha "
            "kommit in till kommunstyrelsen inom tre veckor från den dag du fick del av beslutet.",
        ],
        signature="Anna Registrator\nregistrator",
    )
    text = _normalized(pdf_text(data))
    assert "Beslut om avslag på begäran om allmän handling" in text
    assert "26 kap. 1 § offentlighets- och sekretesslagen (2009:400)" in text
    assert "överklagas till kammarrätten" in text
    assert "KS 2026/40" in text
    assert "2026-03-12" in text
    assert "Storgatan 1" in text
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Beslut om avslag på begäran om allmän handling"


def test_render_letter_pdf_anonymous_requester_no_recipient_block():
    text = pdf_text(
        render_letter_pdf(
            sender_org="Exempelstads kommun",
            recipient=None,
            date=date(2026, 3, 12),
            reference="KS 2026/41",
            heading="Registerutdrag enligt artikel 15 i dataskyddsförordningen",
            paragraphs=["Här är de uppgifter vi behandlar om dig."],
            signature="Dataskyddsombudet",
        )
    )
    assert "Registerutdrag enligt artikel 15 i dataskyddsförordningen" in text
    assert "Dataskyddsombudet" in text
