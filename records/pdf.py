"""PDF renderings of records, decisions and letters (reportlab + pypdf; no Django imports).

What the output is: a clean A4 PDF with the font embedded (DejaVu Sans, subset, so å/ä/ö and
other non-Latin-1 characters survive; every piece of text, table cells included, uses it — no
unembedded standard font is ever referenced), document information (title, author, subject,
creator, language), page numbers "Sida x av N", no encryption and no external resources,
generated in reportlab's *invariant* mode so that the same input gives the same bytes.

With ``pdfa=True`` the file is made PDF/A-2b (ISO 19005-2, level B) — what e-archives ask for
(Riksarkivet's FGS, E-ARK): reportlab writes the page content, then :func:`make_pdfa` adds with
pypdf what reportlab's open-source edition does not write: the XMP metadata stream (uncompressed)
with the PDF/A identification ``pdfaid:part=2``, ``pdfaid:conformance=B`` and the same title,
author, subject, producer and dates as the document information, the output intent (GTS_PDFA1)
with an sRGB ICC profile from Debian (``libgs-common``: /usr/share/color/icc/ghostscript/srgb.icc,
path in ``ICC_PROFILE``), and file identifiers derived from the content (so output stays
reproducible). Why not Ghostscript's ``-dPDFA=2``: Debian 12's Ghostscript 10.0 drops the ToUnicode
maps of reportlab's fonts (text can no longer be extracted or searched) and discards non-ASCII
document information, and its files carry the run's time and a random id. :func:`pdfa_problems`
reads a file back and lists what breaks the PDF/A-2b rules it checks (identification, output
intent, every font embedded, symbolic TrueType fonts without /Encoding and with one cmap, metadata
and document information agreeing, no encryption, JavaScript or embedded files); tests and the
archive package's self-check run it. It is not a full validator (veraPDF, Java, is not packaged
for Debian).

When ``/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf`` is missing the renderer falls back to
Helvetica, which is not embedded and only covers the WinAnsi (cp1252) repertoire; a warning
is logged once and :data:`FONT_NOTE` says which font is in use.

:func:`apply_masks` produces the text of a released (masked) copy: the masked characters are
removed, not hidden under a black box, so they are absent from the file altogether.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
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
    "ICC_PROFILE",
    "MASK_MARKER",
    "PdfaUnavailable",
    "ReportSection",
    "apply_masks",
    "make_pdfa",
    "pdf_text",
    "pdfa_problems",
    "render_decision_pdf",
    "render_letter_pdf",
    "render_report_pdf",
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
ICC_PROFILE = Path("/usr/share/color/icc/ghostscript/srgb.icc")
ICC_CONDITION = "sRGB IEC61966-2.1"


class PdfaUnavailable(RuntimeError):
    """PDF/A cannot be written here: the ICC profile or the embeddable font is missing."""


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
    story: list, *, title: str, subject: str, author: str, footer: str, created: datetime | date | None,
    pdfa: bool = False,
) -> bytes:
    regular, _bold = _register_fonts()
    if pdfa and regular == "Helvetica":
        raise PdfaUnavailable("PDF/A kräver ett inbäddat typsnitt: installera Debians paket fonts-dejavu-core.")
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
        # reportlab starts every page (and table cell) in Helvetica, a font it never embeds: start in ours
        initialFontName=regular,
        enforceColorSpace="rgb",
    )
    doc.build(story, canvasmaker=_numbered_canvas(footer, regular, created))
    data = buffer.getvalue()
    if pdfa:
        data = make_pdfa(data, title=title, author=author, subject=subject, created=created)
    return data


# --- PDF/A-2b -------------------------------------------------------------------------------

_PDFA_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}


def _xmp_date(moment: datetime | date | None) -> str:
    if moment is None:
        return "2000-01-01T00:00:00Z"  # reportlab's invariant date
    if not isinstance(moment, datetime):
        return f"{moment:%Y-%m-%d}T00:00:00Z"
    offset = moment.utcoffset()
    if offset is None:
        return f"{moment:%Y-%m-%dT%H:%M:%S}Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{moment:%Y-%m-%dT%H:%M:%S}{sign}{hours:02d}:{minutes:02d}"


def _info_date(moment: datetime | date | None) -> str:
    if moment is None:
        return "D:20000101000000Z"
    if isinstance(moment, datetime) and moment.utcoffset() is None:
        return f"D:{moment:%Y%m%d%H%M%S}Z"
    if not isinstance(moment, datetime):
        return f"D:{moment:%Y%m%d}000000Z"
    return _pdf_date(moment)


def _xmp(*, title: str, author: str, subject: str, created: datetime | date | None) -> bytes:
    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    when = _xmp_date(created)
    fields = [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<dc:format>application/pdf</dc:format>",
        f"<dc:title>{alt(title)}</dc:title>",
        f"<dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>",
        "<xmp:CreatorTool>Uppsikt</xmp:CreatorTool>",
        f"<xmp:CreateDate>{when}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
        f"<pdf:Producer>{escape(PRODUCER)}</pdf:Producer>",
    ]
    if author:
        fields.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>")
    if subject:
        fields.append(f"<dc:description>{alt(subject)}</dc:description>")
    namespaces = " ".join(f'xmlns:{k}="{v}"' for k, v in _PDFA_NS.items() if k not in ("x", "rdf"))
    body = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about="" {namespaces}>\n' + "\n".join(fields) + "\n</rdf:Description>\n"
        "</rdf:RDF>\n</x:xmpmeta>\n" + (" " * 99 + "\n") * 20 + '<?xpacket end="w"?>'
    )
    return body.encode("utf-8")


def make_pdfa(
    data: bytes, *, title: str, author: str = "", subject: str = "", created: datetime | date | None = None,
    icc_profile: Path | str | None = None,
) -> bytes:
    """Return ``data`` (a PDF written by this module) as PDF/A-2b: XMP identification and metadata, the
    sRGB output intent, document information that agrees with the XMP, content-derived file ids.

    Raises PdfaUnavailable when the ICC profile is missing. Deterministic: same input, same bytes.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        StreamObject,
        TextStringObject,
    )

    profile = Path(icc_profile or ICC_PROFILE)
    if not profile.is_file():
        raise PdfaUnavailable(f"ICC-profilen {profile} saknas: installera Debians paket libgs-common (ghostscript).")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    root = writer.root_object

    metadata = StreamObject()
    metadata.set_data(_xmp(title=title, author=author, subject=subject, created=created))
    metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    root[NameObject("/Metadata")] = writer._add_object(metadata)

    icc = StreamObject()
    icc.set_data(profile.read_bytes())
    icc[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(ICC_CONDITION),
        NameObject("/Info"): TextStringObject(ICC_CONDITION),
        NameObject("/DestOutputProfile"): writer._add_object(icc),
    })
    root[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])

    info = {"/Title": title, "/Creator": "Uppsikt", "/Producer": PRODUCER,
            "/CreationDate": _info_date(created), "/ModDate": _info_date(created)}
    if author:
        info["/Author"] = author
    if subject:
        info["/Subject"] = subject
    writer._info = writer._add_object(DictionaryObject(
        {NameObject(k): TextStringObject(v) for k, v in info.items()}))
    digest = ByteStringObject(hashlib.md5(data, usedforsecurity=False).digest())
    writer._ID = ArrayObject([digest, digest])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _font_program_cmaps(program: bytes) -> list[tuple[int, int]] | None:
    """The (platform, encoding) pairs of a TrueType program's cmap table, or None if unreadable."""
    try:
        tables = struct.unpack(">H", program[4:6])[0]
        for i in range(tables):
            tag, _checksum, offset, _length = struct.unpack(">4sIII", program[12 + 16 * i:28 + 16 * i])
            if tag == b"cmap":
                count = struct.unpack(">H", program[offset + 2:offset + 4])[0]
                return [struct.unpack(">HH", program[offset + 4 + 8 * j:offset + 8 + 8 * j]) for j in range(count)]
    except struct.error:
        return None
    return None


def _fonts_in(resources, seen: set, found: list) -> None:
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            found.append(font)
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
            seen.add(id(xobject))
            _fonts_in(xobject.get("/Resources"), seen, found)


def _font_problems(font) -> list[str]:
    name = str(font.get("/BaseFont", "?"))
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return []
    if subtype == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant.get("/FontDescriptor")
    else:
        descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return [f"typsnittet {name} är inte inbäddat (ingen FontDescriptor)"]
    descriptor = descriptor.get_object()
    programs = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
    if not programs:
        return [f"typsnittet {name} är inte inbäddat"]
    problems = []
    if subtype == "/TrueType" and int(descriptor.get("/Flags", 0)) & 4:  # symbolic
        if "/Encoding" in font:
            problems.append(f"det symboliska TrueType-typsnittet {name} har /Encoding")
        cmaps = _font_program_cmaps(descriptor["/FontFile2"].get_object().get_data()) if "/FontFile2" in descriptor \
            else None
        if cmaps is not None and len(cmaps) != 1 and (3, 0) not in cmaps:
            problems.append(f"typsnittet {name}: cmap ska ha exakt en kodning eller (3,0), har {cmaps}")
    return problems


def _xmp_value(root, path: str) -> str | None:
    from lxml import etree  # noqa: F401 - parsed with lxml (no network, no entities)

    found = root.xpath(path, namespaces=_PDFA_NS)
    if not found:
        return None
    value = found[0]
    return str(value).strip() if isinstance(value, str) else (value.text or "").strip()


def pdfa_problems(data: bytes) -> list[str]:
    """What in ``data`` breaks the PDF/A-2b rules checked here (see the module docstring); [] = none."""
    from lxml import etree
    from pypdf import PdfReader

    problems: list[str] = []
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", data[:20]):
        problems.append("filhuvudet är inte %PDF-1.x följt av en binär kommentarsrad")
    reader = PdfReader(io.BytesIO(data))
    trailer, root = reader.trailer, reader.trailer["/Root"].get_object()
    if "/Encrypt" in trailer:
        problems.append("filen är krypterad")
    if len(trailer.get("/ID") or []) != 2:
        problems.append("filidentifierare (/ID) saknas")
    metadata = root.get("/Metadata")
    xmp = None
    if metadata is None:
        problems.append("XMP-metadata saknas")
    else:
        metadata = metadata.get_object()
        if "/Filter" in metadata:
            problems.append("XMP-metadataströmmen är komprimerad (/Filter)")
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        try:
            xmp = etree.fromstring(metadata.get_data(), parser)
        except etree.XMLSyntaxError as exc:
            problems.append(f"XMP-metadata kan inte läsas: {exc}")
    if xmp is not None:
        part = _xmp_value(xmp, "//pdfaid:part | //@pdfaid:part")
        conformance = _xmp_value(xmp, "//pdfaid:conformance | //@pdfaid:conformance")
        if part != "2" or conformance != "B":
            problems.append(f"PDF/A-identifikationen är part={part} conformance={conformance}, inte 2/B")
        info = reader.metadata or {}
        pairs = [("/Title", "//dc:title/rdf:Alt/rdf:li"), ("/Author", "//dc:creator/rdf:Seq/rdf:li"),
                 ("/Subject", "//dc:description/rdf:Alt/rdf:li"), ("/Producer", "//pdf:Producer"),
                 ("/Creator", "//xmp:CreatorTool"), ("/Keywords", "//pdf:Keywords")]
        for key, path in pairs:
            if key in info and str(info[key]) != (_xmp_value(xmp, path) or ""):
                problems.append(f"dokumentinformationen {key} stämmer inte med XMP-metadata")
    intents = [i.get_object() for i in (root.get("/OutputIntents") or [])]
    pdfa_intents = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if not pdfa_intents:
        problems.append("utdataavsikt (OutputIntent GTS_PDFA1) saknas")
    for intent in pdfa_intents:
        profile = intent.get("/DestOutputProfile")
        if profile is None or profile.get_object().get_data()[36:40] != b"acsp":
            problems.append("utdataavsikten saknar en ICC-profil")
    if "/Names" in root and "/EmbeddedFiles" in root["/Names"].get_object():
        problems.append("filen har inbäddade filer")
    if "/JavaScript" in (root.get("/Names") or {}) or "/AA" in root:
        problems.append("filen innehåller JavaScript eller automatiska åtgärder")
    fonts: list = []
    seen: set = set()
    for page in reader.pages:
        _fonts_in(page.get("/Resources"), seen, fonts)
    for font in fonts:
        problems += _font_problems(font)
    return problems


def render_text_pdf(
    *,
    title: str,
    meta: list[tuple[str, str]],
    body: str,
    footer: str = "",
    created: datetime | date | None = None,
    pdfa: bool = False,
) -> bytes:
    """A4 PDF of a record: ``title``, a two-column table of ``meta`` (label, value), then ``body``
    (PDF/A-2b with ``pdfa``).

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
                    ("FONTNAME", (0, 0), (-1, -1), styles["body"].fontName),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.HexColor("#999999")),
                ]
            )
        )
        story += [table, Spacer(1, 6 * mm)]
    story += _paragraphs(body, styles["body"]) or [Paragraph("", styles["body"])]
    return _build(story, title=title, subject=title, author="", footer=footer, created=created, pdfa=pdfa)


def render_letter_pdf(
    *,
    sender_org: str,
    recipient: str | None,
    date: date,
    reference: str,
    heading: str,
    paragraphs: list[str],
    signature: str,
    pdfa: bool = False,
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
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles["body"].fontName),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
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
        pdfa=pdfa,
    )


@dataclass(frozen=True)
class ReportSection:
    """One section of a report: a heading, paragraphs, and optionally a table (header row + rows)."""

    heading: str
    paragraphs: Sequence[str] = ()
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[str]] = ()
    widths: Sequence[float] | None = None  # in mm; None = even


def render_report_pdf(
    *,
    title: str,
    organisation: str,
    meta: list[tuple[str, str]],
    sections: Sequence[ReportSection],
    footer: str = "",
    created: datetime | date | None = None,
    pdfa: bool = True,
) -> bytes:
    """A4 report (an archive description, an inventory): organisation, title, a table of ``meta``, then
    each section with its paragraphs and table. Table rows repeat their header on every page. PDF/A-2b
    by default: these reports are delivered to the archive."""
    styles = _styles()
    small = ParagraphStyle("Cell", parent=styles["body"], fontSize=8.5, leading=10.5, spaceAfter=0)
    head = ParagraphStyle("CellHead", parent=small, fontName=styles["meta_key"].fontName)
    story: list = [Paragraph(_markup(organisation), styles["org"]), Paragraph(_markup(title), styles["title"])]
    if meta:
        rows = [[Paragraph(_markup(k), styles["meta_key"]), Paragraph(_markup(v), styles["meta_value"])]
                for k, v in meta]
        table = Table(rows, colWidths=[45 * mm, None], hAlign="LEFT")
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles["body"].fontName),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story += [table, Spacer(1, 5 * mm)]
    for section in sections:
        story.append(Paragraph(_markup(section.heading), styles["heading"]))
        for paragraph in section.paragraphs:
            story += _paragraphs(paragraph, styles["body"])
        if section.columns:
            data = [[Paragraph(_markup(c), head) for c in section.columns]]
            data += [[Paragraph(_markup(str(cell)), small) for cell in row] for row in section.rows]
            widths = [w * mm for w in section.widths] if section.widths else None
            table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
            table.setStyle(TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), styles["body"].fontName),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#333333")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
                ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]))
            story += [table, Spacer(1, 4 * mm)]
    return _build(story, title=title, subject=title, author=organisation, footer=footer or organisation,
                  created=created, pdfa=pdfa)


def pdf_text(data: bytes) -> str:
    """The text of a PDF as pypdf extracts it, pages joined by newlines (for tests and checks)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def render_decision_pdf(
    *,
    sender_org: str,
    recipient: str | None,
    date: date,
    reference_rows: list[tuple[str, str]],
    heading: str,
    intro: list[str],
    sections: list[tuple[str, list[str]]],
    signature: str,
) -> bytes:
    """A4 decision (beslut) with sections: like :func:`render_letter_pdf`, with several reference rows
    (date, diarienummer, the request's reference) and a sub-heading per section ("Beslut", "Skäl för
    beslutet", "Hur man överklagar"). Used for the authority's decision on a request for public
    documents and for the official's notice of a refusal."""
    styles = _styles()
    subheading = ParagraphStyle("Subheading", parent=styles["body"], fontName=_register_fonts()[1], fontSize=11,
                                leading=15, spaceBefore=6, spaceAfter=3)
    rows = [("Datum", date.isoformat()), *reference_rows]
    table = Table([[Paragraph(_markup(k), styles["meta_key"]), Paragraph(_markup(v), styles["meta_value"])]
                   for k, v in rows], colWidths=[35 * mm, None], hAlign="RIGHT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story: list = [Paragraph(_markup(sender_org), styles["org"]), Spacer(1, 2 * mm), table, Spacer(1, 8 * mm)]
    if recipient:
        story += [Paragraph(_markup(recipient), styles["body"]), Spacer(1, 8 * mm)]
    story.append(Paragraph(_markup(heading), styles["heading"]))
    for paragraph in intro:
        story += _paragraphs(paragraph, styles["body"])
    for title, paragraphs in sections:
        story.append(Paragraph(_markup(title), subheading))
        for paragraph in paragraphs:
            story += _paragraphs(paragraph, styles["body"])
    if signature:
        story.append(KeepTogether([Spacer(1, 8 * mm), Paragraph(_markup(signature), styles["body"])]))
    reference = rows[1][1] if len(rows) > 1 else ""
    return _build(story, title=heading, subject=f"{heading} ({reference})", author=sender_org, footer=sender_org,
                  created=date)


# --- PDF/A-2b and stories (evidence sheets: moderation/media/evidence.py) -------------------------------


def build_story_pdf(story: list, *, title: str, subject: str, author: str = "", footer: str = "",
                    created: datetime | date | None = None) -> bytes:
    """An A4 PDF of reportlab flowables with this module's fonts, page numbers and document information."""
    return _build(story, title=title, subject=subject, author=author, footer=footer, created=created)


def story_styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of this module (body, title, heading, meta_key, meta_value, org)."""
    return _styles()
