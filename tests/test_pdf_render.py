"""PDF renderings and masking (records.pdf; no database)."""

import datetime as dt
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


# --- PDF/A-2b --------------------------------------------------------------------------------------


def test_render_text_pdf_pdfa_identification_output_intent_fonts_read_back():
    import io
    import re

    from pypdf import PdfReader

    from records.pdf import pdfa_problems

    created = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    data = render_text_pdf(title="Handling KS 2026/12-3 – Åsa", meta=[("Avsändare", "Örjan")], body="Ärende åäö",
                           created=created, pdfa=True)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    metadata = root["/Metadata"].get_object()
    assert "/Filter" not in metadata  # PDF/A: the XMP stream is not compressed
    xmp = metadata.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "Handling KS 2026/12-3 – Åsa" in xmp and "2026-03-02T10:30:00+01:00" in xmp
    assert reader.metadata["/Title"] == "Handling KS 2026/12-3 – Åsa"
    assert reader.metadata["/CreationDate"] == "D:20260302103000+01'00'"
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"
    fonts = [f.get_object() for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f["/FontDescriptor"].get_object() for f in fonts)
    assert not any("Helvetica" in str(f["/BaseFont"]) for f in fonts)
    assert len(reader.trailer["/ID"]) == 2 and "/Encrypt" not in reader.trailer
    assert re.match(rb"%PDF-1\.\d\n%[\x80-\xff]{4}", data)
    assert pdfa_problems(data) == []
    assert pdf_text(data).startswith("Handling KS 2026/12-3 – Åsa")


def test_render_text_pdf_pdfa_same_input_identical_bytes():
    first = render_text_pdf(title="T", meta=[("A", "B")], body="Samma", pdfa=True, created=dt.date(2026, 1, 1))
    assert first == render_text_pdf(title="T", meta=[("A", "B")], body="Samma", pdfa=True, created=dt.date(2026, 1, 1))


def test_pdfa_problems_plain_pdf_names_what_is_missing():
    from records.pdf import pdfa_problems

    problems = pdfa_problems(render_text_pdf(title="T", meta=[("A", "B")], body="x"))
    assert "XMP-metadata saknas" in problems and "utdataavsikt (OutputIntent GTS_PDFA1) saknas" in problems
    # every font is embedded even without PDF/A: reportlab no longer falls back to Helvetica in tables
    assert not [p for p in problems if "typsnitt" in p]


def test_make_pdfa_missing_icc_profile_refused(tmp_path):
    from records.pdf import PdfaUnavailable, make_pdfa

    with pytest.raises(PdfaUnavailable, match="libgs-common"):
        make_pdfa(render_text_pdf(title="T", meta=[], body="x"), title="T", icc_profile=tmp_path / "saknas.icc")


def test_render_report_pdf_long_table_pdfa_every_page_numbered():
    from records.pdf import ReportSection, pdfa_problems, render_report_pdf

    rows = [[f"SM-{n}", f"Rad {n} med åäö"] for n in range(120)]
    data = render_report_pdf(title="Arkivförteckning", organisation="Exempelstads kommun", meta=[("Arkiv", "X")],
                             sections=[ReportSection("Serier", ["Förklaring."], ["Kod", "Namn"], rows)])
    assert pdfa_problems(data) == []
    text = pdf_text(data)
    assert "Rad 119 med åäö" in text and "Sida 3 av" in text
