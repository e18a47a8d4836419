"""records/workflow.py: one table for every records status, one guard, the actions a user is offered."""

import pytest

from accounts.errors import TransitionNotAllowed
from records import workflow
from records.models import CaseStatus, PurgeList, PurgeListStatus
from tests.factories import CaseFactory


def test_flows_every_status_is_reachable_or_initial():
    for flow in workflow.FLOWS:
        reached = {a.target for a in flow.actions}
        left = set().union(*(a.sources for a in flow.actions))
        for status in flow.choices.values:
            assert status in reached | left, f"{flow.model.__name__}.{flow.field}: {status} is in no transition"


def test_flows_action_names_are_unique_per_flow():
    for flow in workflow.FLOWS:
        names = [a.name for a in flow.actions]
        assert len(names) == len(set(names)), flow.model.__name__


@pytest.mark.django_db
def test_assert_transition_refused_raises_swedish_message():
    case = CaseFactory(status=CaseStatus.OPEN)
    with pytest.raises(TransitionNotAllowed) as exc:
        workflow.assert_transition(case, CaseStatus.DELIVERED)
    assert "kan inte gå från ”Öppet” till ”Levererat till e-arkiv”" in exc.value.message


@pytest.mark.django_db
def test_transition_allowed_sets_status():
    case = CaseFactory(status=CaseStatus.OPEN)
    workflow.transition(case, CaseStatus.CLOSED)
    assert case.status == CaseStatus.CLOSED


@pytest.mark.django_db
def test_available_actions_registrar_on_open_case_is_close_only(users):
    case = CaseFactory(status=CaseStatus.OPEN)
    assert workflow.available_names(case, users["registrar"]) == {"close"}
    assert workflow.available_names(case, users["auditor"]) == set()


@pytest.mark.django_db
def test_available_actions_purge_list_proposer_cannot_approve(users, django_user_model):
    archivist = users["archivist"]
    other = django_user_model.objects.get(pk=archivist.pk)
    pl = PurgeList(reference="GL-2026-901", status=PurgeListStatus.PROPOSED, proposed_by=archivist)
    assert "approve" not in workflow.available_names(pl, archivist)
    with pytest.raises(TransitionNotAllowed, match="fyraögonsprincipen"):
        workflow.assert_action(pl, "approve", other)


@pytest.mark.django_db
def test_execute_purge_list_written_once_offered_when_approved_or_executing(users):
    archivist, auditor = users["archivist"], users["auditor"]
    for status, offered in ((PurgeListStatus.PROPOSED, False), (PurgeListStatus.APPROVED, True),
                            (PurgeListStatus.EXECUTING, True), (PurgeListStatus.EXECUTED, False)):
        pl = PurgeList(reference="GL-2026-902", status=status)
        assert ("execute" in workflow.available_names(pl, archivist)) is offered, status
        assert "execute" not in workflow.available_names(pl, auditor)
    with pytest.raises(TransitionNotAllowed):
        workflow.assert_action(PurgeList(reference="GL-2026-903", status=PurgeListStatus.PROPOSED), "execute", None)


@pytest.mark.django_db
def test_subject_request_actions_by_kind_and_extension(users):
    from django.utils import timezone

    from records.models import SubjectRequest

    erasure = SubjectRequest(reference="DSR-2026-901", kind="erasure", received_at=timezone.now())
    assert workflow.available_names(erasure, users["archivist"]) == {"search", "extract", "extend",
                                                                      "propose_erasure", "close"}
    assert workflow.available_names(erasure, users["auditor"]) == set()
    access = SubjectRequest(reference="DSR-2026-902", kind="access", received_at=timezone.now(),
                            extended_at=timezone.now())
    assert workflow.available_names(access, users["archivist"]) == {"search", "extract", "close"}
