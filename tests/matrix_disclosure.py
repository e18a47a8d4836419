"""Permission matrix for requests for public documents: the public form and the workbench."""

from tests.matrix import ALL_ROLES, Case

VIEWERS = ("registrar", "archivist", "auditor")
ACTORS = ("registrar",)


def setup(users):
    from records.disclosure import services as svc
    from tests.factories import DocumentFactory, LegalGroundFactory

    registrar = users["registrar"]
    ground = LegalGroundFactory()
    released = DocumentFactory(content="Öppen text.")
    refused = DocumentFactory(content="Sekretess.")
    req = svc.disclosure_request_create(request_text="Matris", channel_in="email", documents=[released, refused],
                                        actor=registrar)
    a, b = req.items.order_by("id")
    svc.disclosure_review(item=a, outcome="release", actor=registrar)
    svc.disclosure_review(item=b, outcome="refuse", legal_ground=ground, actor=registrar)
    svc.disclosure_decide(request=req, actor=registrar)
    letter = svc.disclosure_authority_decision(request=req, actor=registrar)
    open_req = svc.disclosure_request_create(request_text="Öppen", channel_in="email", documents=[DocumentFactory()],
                                             actor=registrar)
    return {"req": req, "letter": letter, "open": open_req, "open_item": open_req.items.get(), "doc": released}


def _u(path):
    return lambda c: path.format(**{k: getattr(v, "pk", v) for k, v in c.items()},
                                 item=c["open_item"].pk, open_pk=c["open"].pk)


CASES = [
    Case("public request form", "/postlista/begar/", ALL_ROLES + ("norole",), anonymous=200),
    Case("disclosure list", "/diarium/begaran/", VIEWERS),
    Case("disclosure intake form", "/diarium/begaran/ny/", ACTORS),
    Case("disclosure workbench", _u("/diarium/begaran/{req}/"), VIEWERS),
    Case("disclosure history", _u("/historik/records/disclosurerequest/{req}/"),
         ("registrar", "archivist", "auditor")),
    Case("disclosure letter", _u("/diarium/begaran/{req}/brev/{letter}/"), VIEWERS),
    Case("disclosure review page", _u("/diarium/begaran/{open_pk}/handlingar/{item}/"), ACTORS),
    Case("disclosure review post", _u("/diarium/begaran/{open_pk}/handlingar/{item}/"), ACTORS, ok=302,
         method="post", data={"outcome": "release", "save": "1"}),
    Case("disclosure add item", _u("/diarium/begaran/{open_pk}/handlingar/"), ACTORS, ok=302, method="post",
         data={"number": "XX 0000/0-0"}),
    Case("disclosure decide", _u("/diarium/begaran/{open_pk}/avgor/"), ACTORS, ok=302, method="post"),
    Case("disclosure authority decision", _u("/diarium/begaran/{req}/myndighetsbeslut/"), ACTORS, ok=302,
         method="post"),
    Case("disclosure appeal", _u("/diarium/begaran/{req}/overklagande/"), ACTORS, ok=302, method="post",
         data={"received_at": "2026-01-20T10:00"}),
    Case("disclosure appeal close", _u("/diarium/begaran/{req}/overklagande/avgor/"), ACTORS, ok=302,
         method="post", data={"outcome": "upheld"}),
    Case("disclosure close", _u("/diarium/begaran/{req}/avsluta/"), ACTORS, ok=302, method="post"),
    Case("disclosure deliver", _u("/diarium/begaran/{req}/lamna-ut/"), ACTORS, method="post",
         data={"format": "zip"}),
    Case("api disclosure requests", "/api/v1/disclosure-requests/", VIEWERS, anonymous=403),
    Case("api disclosure request", _u("/api/v1/disclosure-requests/{req}/"), VIEWERS, anonymous=403),
]
