"""records/workflow.py for requests for public documents: what each status allows a registrar, and
that no disclosure status is written outside transition()."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone

from records import workflow
from records.disclosure import services as svc
from tests.factories import DisclosureDecisionSettingFactory, DocumentFactory, LegalGroundFactory

ROOT = Path(__file__).resolve().parent.parent


def test_disclosure_status_written_only_by_transition():
    pattern = re.compile(r"\.(status|appeal_status)\s*=(?!=)|update\([^)]*\b(status|appeal_status)=")
    offenders = []
    for path in (ROOT / "records" / "disclosure").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.django_db
def test_available_actions_follow_the_law_at_each_status(users, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    registrar, auditor = users["registrar"], users["auditor"]
    ground = LegalGroundFactory()
    DisclosureDecisionSettingFactory()
    released, refused = DocumentFactory(), DocumentFactory()
    req = svc.disclosure_request_create(request_text="x", channel_in="email", documents=[released, refused],
                                        actor=registrar)

    def names():
        req.refresh_from_db()
        return workflow.available_names(req, registrar) | workflow.available_names(req, registrar,
                                                                                  field="appeal_status")

    assert names() == {"close"}
    a, b = req.items.order_by("id")
    svc.disclosure_review(item=a, outcome="release", actor=registrar)
    svc.disclosure_review(item=b, outcome="refuse", actor=registrar, legal_ground=ground)
    assert names() == {"decide", "close"}
    svc.disclosure_decide(request=req, actor=registrar)
    assert names() == {"answer", "deliver", "request_decision"}  # close: the refusal is not yet notified
    svc.disclosure_deliver(request=req, actor=registrar)
    assert names() == {"deliver", "request_decision", "close"}
    svc.disclosure_decision_request(request=req, actor=registrar)
    assert names() == {"deliver", "issue_decision"}
    svc.disclosure_decision_issue(request=req, actor=registrar, reasoning="Skäl.")
    assert names() == {"deliver", "decision_notified", "appeal"}
    svc.disclosure_decision_notified(request=req, actor=registrar, notified_on=timezone.localdate())
    assert names() == {"deliver", "appeal"}  # close: the appeal window is open
    assert workflow.available_names(req, auditor) == set()
    assert "förvaltningslagen 44 §" in workflow.action_refusal(req, "close", registrar)
