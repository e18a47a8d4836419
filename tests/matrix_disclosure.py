"""Permission matrix for requests for public documents: the public form, the workbench, every action,
the deciding body's configuration and the API (the same permissions as the UI)."""

import datetime

from tests.matrix import ALL_ROLES, Case

TODAY = datetime.date.today().isoformat()

VIEWERS = ("registrar", "archivist", "auditor")
ACTORS = ("registrar",)
SETTING_EDITORS = ("registrar", "administrator")
SETTING_VIEWERS = ("registrar", "archivist", "administrator", "auditor")
API = "/api/v1/disclosure-requests/"


def setup(users):
    from records.disclosure import services as svc
    from tests.factories import DisclosureDecisionSettingFactory, DocumentFactory, LegalGroundFactory

    registrar = users["registrar"]
    ground = LegalGroundFactory()
    setting = DisclosureDecisionSettingFactory()
    released = DocumentFactory(content="Öppen text.")
    refused = DocumentFactory(content="Sekretess.")
    req = svc.disclosure_request_create(request_text="Matris", channel_in="email", documents=[released, refused],
                                        actor=registrar)
    a, b = req.items.order_by("id")
    svc.disclosure_review(item=a, outcome="release", actor=registrar)
    svc.disclosure_review(item=b, outcome="refuse", legal_ground=ground, actor=registrar)
    svc.disclosure_decide(request=req, actor=registrar)
    letter = svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl.")
    decided = svc.disclosure_request_create(request_text="Prövad", channel_in="email", documents=[DocumentFactory()],
                                            actor=registrar)
    svc.disclosure_review(item=decided.items.get(), outcome="refuse", legal_ground=ground, actor=registrar)
    svc.disclosure_decide(request=decided, actor=registrar)
    open_req = svc.disclosure_request_create(request_text="Öppen", channel_in="email", documents=[DocumentFactory()],
                                             actor=registrar)
    return {"req": req, "letter": letter, "open": open_req, "open_item": open_req.items.get(), "doc": released,
            "decided": decided, "setting": setting, "target": open_req.items.get().target_id}


def _u(path):
    return lambda c: path.format(**{k: getattr(v, "pk", v) for k, v in c.items()},
                                 item=c["open_item"].pk, open_pk=c["open"].pk)


def _api(name, path, data, ok=200, who=ACTORS):
    return Case(name, _u(API + path), who, ok=ok, method="post", data=data, anonymous=403)


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
         data={"kind": "document", "number": "XX 0000/0-0"}),
    Case("disclosure decide", _u("/diarium/begaran/{open_pk}/avgor/"), ACTORS, ok=302, method="post"),
    Case("disclosure answer", _u("/diarium/begaran/{decided}/besked/"), ACTORS, ok=302, method="post",
         data={"means": "email", "answered_on": TODAY}),
    Case("disclosure decision request", _u("/diarium/begaran/{decided}/begar-beslut/"), ACTORS, ok=302,
         method="post", data={"requested_on": TODAY}),
    Case("disclosure authority decision", _u("/diarium/begaran/{decided}/myndighetsbeslut/"), ACTORS, ok=302,
         method="post", data={"reasoning": "Skäl."}),
    Case("disclosure decision notified", _u("/diarium/begaran/{req}/beslut-mottaget/"), ACTORS, ok=302,
         method="post", data={"notified_on": TODAY}),
    Case("disclosure appeal", _u("/diarium/begaran/{req}/overklagande/"), ACTORS, ok=302, method="post",
         data={"received_at": "2026-01-20T10:00"}),
    Case("disclosure appeal close", _u("/diarium/begaran/{req}/overklagande/avgor/"), ACTORS, ok=302,
         method="post", data={"outcome": "upheld"}),
    Case("disclosure close", _u("/diarium/begaran/{req}/avsluta/"), ACTORS, ok=302, method="post",
         data={"reason": "completed", "note": "Klart."}),
    Case("disclosure deliver", _u("/diarium/begaran/{req}/lamna-ut/"), ACTORS, method="post",
         data={"format": "zip"}),
    Case("disclosure settings", "/diarium/begaran/beslutsinstans/", SETTING_VIEWERS),
    Case("disclosure setting form", _u("/diarium/begaran/beslutsinstans/{setting}/"), SETTING_EDITORS),
    Case("disclosure setting new", "/diarium/begaran/beslutsinstans/ny/", SETTING_EDITORS),
    Case("api disclosure requests", API, VIEWERS, anonymous=403),
    Case("api disclosure request", _u(API + "{req}/"), VIEWERS, anonymous=403),
    Case("api disclosure create", API, ACTORS, ok=201, method="post", anonymous=403,
         data={"request_text": "Protokollet"}),
    _api("api disclosure targets", "{open_pk}/targets/", {}, ok=400),
    _api("api disclosure review", "{open_pk}/review/", {}, ok=400),
    _api("api disclosure decide", "{open_pk}/decide/", {}, ok=409),
    _api("api disclosure answer", "{decided}/answer/", {"means": "email"}),
    _api("api disclosure formal decision", "{decided}/formal-decision/", {"reasoning": "Skäl."}),
    _api("api disclosure decision notified", "{req}/decision-notified/", {"notified_on": TODAY}),
    _api("api disclosure appeal", "{req}/appeal/", {"received_at": "2026-01-20T10:00:00+01:00"}),
    _api("api disclosure appeal ruling", "{req}/appeal-ruling/", {"outcome": "upheld"}, ok=409),
    _api("api disclosure close", "{req}/close/", {"reason": "Klart."}, ok=409),
    _api("api disclosure deliver", "{req}/deliver/", {"format": "pdf"}),
]
