"""PDF renderings of records, decisions and letters (reportlab + pypdf; no Django imports).

What the output is, honestly: a clean A4 PDF with the font embedded (DejaVu Sans, subset,
so å/ä/ö and other non-Latin-1 characters survive), document information (title, author,
subject, creator, language), page numbers "Sida x av N", no encryption and no external
resources, generated in reportlab's *invariant* mode so that the same input gives the same
bytes. It is **not** a validated PDF/A file: reportlab writes no XMP metadata and no output
intent, and the output has not been run through a PDF/A validator (veraPDF). Where a PDF/A
file is required (e.g. for delivery to an e-archive that demands one), convert or validate it
downstream; the UTF-8 text kept next to it in an archive package is the authoritative content.

When ``/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf`` is missing the renderer falls back to
Helvetica, which is not embedded and only covers the WinAnsi (cp1252) repertoire; a warning
is logged once and :data:`FONT_NOTE` says which font is in use.

:func:`apply_masks` produces the text of a released (masked) copy: the masked characters are
removed, not hidden under a black box, so they are absent from the file altogether.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

__all__ = [
    "FONT_NOTE",
    "MASK_MARKER",
    "apply_masks",
    "pdf_text",
    "render_letter_pdf",
    "render_text_pdf",
]

logger = logging.getLogger(__name__)

MASK_MARKER = "[maskerat]"
PRODUCER = "Uppsikt (reportlab)"
LANGUAGE = "sv-SE"

_DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
_REGULAR = "UppsiktSans"
_BOLD = "UppsiktSans-Bold"

_fonts: tuple[str, str] | None = None
FONT_NOTE = ""


def _register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) once; fall back to Helvetica when it is absent."""
    global _fonts, FONT_NOTE
    if _fonts is not None:
        return _fonts
    regular = _DEJAVU_DIR / "DejaVuSans.ttf"
    bold = _DEJAVU_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file():
        pdfmetrics.registerFont(TTFont(_REGULAR, str(regular)))
        pdfmetrics.registerFont(TTFont(_BOLD, str(bold if bold.is_file() else regular)))
        pdfmetrics.registerFontFamily(_REGULAR, normal=_REGULAR, bold=_BOLD, italic=_REGULAR, boldItalic=_BOLD)
        FONT_NOTE = "DejaVu Sans (inbäddat typsnitt)"
        _fonts = (_REGULAR, _BOLD)
    else:
        FONT_NOTE = (
            "Helvetica (DejaVu Sans saknas: typsnittet bäddas inte in och tecken utanför "
            "Latin-1/cp1252 kan inte återges)"
        )
        logger.warning("DejaVuSans.ttf not found in %s; PDFs use Helvetica, not embedded", _DEJAVU_DIR)
        _fonts = ("Helvetica", "Helvetica-Bold")
    return _fonts


# --- masking -------------------------------------------------------------------------------


def apply_masks(text: str, spans: Sequence[tuple[int, int]], marker: str = MASK_MARKER) -> str:
    """Return ``text`` with every span ``(start, end)`` (Python slice positions) replaced by ``marker``.

    The masked characters are removed entirely, so the released copy does not contain them.
    Overlapping and adjacent spans are merged into one marker. A span must satisfy
    ``0 <= start < end <= len(text)``; anything else raises :class:`ValueError`, because a
    wrong span means the caller's idea of the text differs from the text and releasing it
    could leak what was meant to be masked.
    """
    checked: list[tuple[int, int]] = []
    for span in spans:
        try:
            start, end = span
        except (TypeError, ValueError) as exc:
            raise ValueError(f"a mask span must be a (start, end) pair, got {span!r}") from exc
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise ValueError(f"mask span positions must be integers, got {span!r}")
        if not 0 <= start < end <= len(text):
            raise ValueError(f"mask span {span!r} is empty or outside the text (length {len(text)})")
        checked.append((start, end))
    if not checked:
        return text
    checked.sort()
    merged: list[list[int]] = [list(checked[0])]
    for start, end in checked[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    position = 0
    for start, end in merged:
        parts.append(text[position:start])
        parts.append(marker)
        position = end
    parts.append(text[position:])
    return "".join(parts)


# --- rendering ------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _register_fonts()
    base = ParagraphStyle(
        "Body",
        fontName=regular,
        fontSize=10.5,
        leading=14.5,
        alignment=TA_LEFT,
        spaceAfter=6,
        splitLongWords=1,
    )
    meta = {"fontSize": 9.5, "leading": 12, "spaceAfter": 0}
    return {
        "body": base,
        "title": ParagraphStyle("Title", parent=base, fontName=bold, fontSize=16, leading=20, spaceAfter=10),
        "heading": ParagraphStyle("Heading", parent=base, fontName=bold, fontSize=13, leading=17),
        "meta_key": ParagraphStyle("MetaKey", parent=base, fontName=bold, **meta),
        "meta_value": ParagraphStyle("MetaValue", parent=base, **meta),
        "org": ParagraphStyle("Org", parent=base, fontName=bold, fontSize=12, leading=15, spaceAfter=2),
    }


def _markup(text: str) -> str:
    """Escape ``text`` for a reportlab Paragraph, keeping single line breaks."""
    return escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br/>")


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """One Paragraph per block separated by a blank line."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [block.strip("\n") for block in normalized.split("\n\n")]
    return [Paragraph(_markup(block), style) for block in blocks if block.strip()]


def _pdf_date(moment: datetime | date) -> str:
    """A PDF date string (``D:YYYYMMDDHHmmSS+HH'mm'``) for the document information."""
    if not isinstance(moment, datetime):
        return f"D:{moment:%Y%m%d}000000"
    text = f"D:{moment:%Y%m%d%H%M%S}"
    offset = moment.utcoffset()
    if offset is None:
        return text
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}'{minutes:02d}'"


def _numbered_canvas(footer: str, font: str, created: datetime | date | None) -> type[rl_canvas.Canvas]:
    """A canvas class that draws ``footer`` and "Sida x av N" on every page once N is known."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            # reportlab's page preamble selects its initial font (Helvetica, never embedded): use ours
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font
            super().__init__(*args, **kwargs)
            self._page_states: list[dict] = []
            if created is not None:
                stamp = _pdf_date(created)
                self._doc.info._dateFormatter = lambda *_parts: stamp

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setFont(font, 8.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawRightString(width - 20 * mm, 12 * mm, f"Sida {self._pageNumber} av {total}")
            if footer:
                self.drawString(20 * mm, 12 * mm, footer[:120])
            self.restoreState()

    return NumberedCanvas


def _build(
    story: list, *, title: str, subject: str, author: str, footer: str, created: datetime | date | None
) -> bytes:
    regular, _bold = _register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=author,
        subject=subject,
        creator="Uppsikt",
        producer=PRODUCER,
        lang=LANGUAGE,
        displayDocTitle=1,
        invariant=1,
        encrypt=None,
    )
    doc.build(story, canvasmaker=_numbered_canvas(footer, regular, created))
    return buffer.getvalue()


def render_text_pdf(
    *,
    title: str,
    meta: list[tuple[str, str]],
    body: str,
    footer: str = "",
    created: datetime | date | None = None,
) -> bytes:
    """A4 PDF of a record: ``title``, a two-column table of ``meta`` (label, value), then ``body``.

    ``body`` is plain text; blank lines separate paragraphs and single line breaks are kept.
    Nothing in the inputs is interpreted as markup. The PDF title metadata is ``title``.
    ``created`` becomes the creation date in the document information; without it the
    date is reportlab's fixed invariant date (2000-01-01), so output is reproducible either way.
    """
    styles = _styles()
    story: list = [Paragraph(_markup(title), styles["title"])]
    if meta:
        rows = [
            [Paragraph(_markup(key), styles["meta_key"]), Paragraph(_markup(value), styles["meta_value"])]
            for key, value in meta
        ]
        table = Table(rows, colWidths=[45 * mm, None], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.HexColor("#999999")),
                ]
            )
        )
        story += [table, Spacer(1, 6 * mm)]
    story += _paragraphs(body, styles["body"]) or [Paragraph("", styles["body"])]
    return _build(story, title=title, subject=title, author="", footer=footer, created=created)


def render_letter_pdf(
    *,
    sender_org: str,
    recipient: str | None,
    date: date,
    reference: str,
    heading: str,
    paragraphs: list[str],
    signature: str,
) -> bytes:
    """A4 letter or decision (beslut): sender, date and reference, recipient, heading, text, signature.

    Used for decisions on disclosure requests (a refusal states its legal ground and how to
    appeal: the caller writes both as paragraphs) and for GDPR letters. ``recipient`` is
    ``None`` when the requester is anonymous; the recipient block is then left out.
    ``signature`` may span several lines (name, title). The letter's ``date`` is also the PDF's
    creation date.
    """
    styles = _styles()
    story: list = [Paragraph(_markup(sender_org), styles["org"])]
    reference_rows = [
        [Paragraph("Datum", styles["meta_key"]), Paragraph(_markup(date.isoformat()), styles["meta_value"])],
        [Paragraph("Diarienummer", styles["meta_key"]), Paragraph(_markup(reference), styles["meta_value"])],
    ]
    table = Table(reference_rows, colWidths=[35 * mm, None], hAlign="RIGHT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story += [Spacer(1, 2 * mm), table, Spacer(1, 8 * mm)]
    if recipient:
        story += [Paragraph(_markup(recipient), styles["body"]), Spacer(1, 8 * mm)]
    story.append(Paragraph(_markup(heading), styles["heading"]))
    for paragraph in paragraphs:
        story += _paragraphs(paragraph, styles["body"])
    if signature:
        story.append(KeepTogether([Spacer(1, 8 * mm), Paragraph(_markup(signature), styles["body"])]))
    return _build(
        story,
        title=heading,
        subject=f"{heading} ({reference})",
        author=sender_org,
        footer=sender_org,
        created=date,
    )


def pdf_text(data: bytes) -> str:
    """The text of a PDF as pypdf extracts it, pages joined by newlines (for tests and checks)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


# --- PDF/A-2b and stories (evidence sheets: moderation/media/evidence.py) -------------------------------


def build_story_pdf(story: list, *, title: str, subject: str, author: str = "", footer: str = "",
                    created: datetime | date | None = None) -> bytes:
    """An A4 PDF of reportlab flowables with this module's fonts, page numbers and document information."""
    return _build(story, title=title, subject=subject, author=author, footer=footer, created=created)


def story_styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of this module (body, title, heading, meta_key, meta_value, org)."""
    return _styles()


def _srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _xmp(*, title: str, author: str, subject: str, producer: str, created: datetime, lang: str) -> bytes:
    stamp = created.isoformat(timespec="seconds")
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>Uppsikt</xmp:CreatorTool>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{escape(producer)}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def make_pdfa(data: bytes, *, title: str, author: str, subject: str, created: datetime,
              lang: str = LANGUAGE) -> bytes:
    """The PDF ``data`` (from this module: fonts embedded, no encryption, no transparency) as PDF/A-2b:
    XMP metadata (pdfaid part 2, conformance B) agreeing with the document information, an sRGB
    OutputIntent (the ICC profile embedded), the document language and a file identifier. Not checked by a
    validator here (veraPDF is not available): tests check these parts structurally."""
    import hashlib

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    stamp = _pdf_date(created)
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Creator": "Uppsikt",
                         "/Producer": PRODUCER, "/CreationDate": stamp, "/ModDate": stamp})
    info = writer._info.get_object() if writer._info is not None else {}
    for key in ("/Keywords", "/Trapped"):  # not in the XMP: PDF/A wants the two to agree
        if key in info:
            del info[key]
    icc = DecodedStreamObject()
    icc.set_data(_srgb_profile())
    icc[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/RegistryName"): TextStringObject("http://www.color.org"),
        NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/DestOutputProfile"): writer._add_object(icc),
    })
    metadata = DecodedStreamObject()
    metadata.set_data(_xmp(title=title, author=author, subject=subject, producer=PRODUCER, created=created,
                           lang=lang))
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    root = writer._root_object
    root[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    root[NameObject("/Metadata")] = writer._add_object(metadata)
    root[NameObject("/Lang")] = TextStringObject(lang)
    file_id = ByteStringObject(hashlib.md5(data, usedforsecurity=False).digest())
    writer._ID = ArrayObject([file_id, file_id])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
