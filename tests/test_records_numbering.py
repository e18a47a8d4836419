import datetime as dt
import os
import threading

import pytest
from django.db import connection, connections, transaction

from records.diarium.services.cases import case_open
from records.diarium.services.numbering import number_allocate
from records.diarium.services.registration import document_register
from records.models import Case, Document, NumberCounter
from tests.factories import SeriesFactory, UserFactory

pytestmark = pytest.mark.django_db


def _require_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("UPPSIKT_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL krävs (UPPSIKT_REQUIRE_POSTGRES=1)")
        pytest.skip("needs PostgreSQL")


def _counter_probe(observed: list[str], *, committed=None, **counter):
    """A function that looks at the counter from another connection (a thread of its own) and appends
    "locked" or "free" (", committed" when `committed`, a queryset, finds rows there)."""
    from django.db import DatabaseError

    def probe():
        try:
            with transaction.atomic():
                NumberCounter.objects.select_for_update(nowait=True).get(**counter)
                seen = committed is not None and committed.all().exists()
            observed.append("free, committed" if seen else "free")
        except DatabaseError:
            observed.append("locked")
        finally:
            connections.close_all()

    def run_probe():
        t = threading.Thread(target=probe)
        t.start()
        t.join(timeout=30)

    return run_probe


def test_number_allocate_first_numbers_and_year_restart():
    series = SeriesFactory(code="KS")
    assert [number_allocate(series=series, year=2026) for _ in range(3)] == [1, 2, 3]
    assert number_allocate(series=series, year=2027) == 1
    assert number_allocate(series=series, year=2026) == 4
    assert number_allocate(series=series, year=2026, scope="doc:99") == 1


def test_case_open_year_change_restarts_numbering():
    series = SeriesFactory(code="KFN", number_format="{series}/{year}/{number:04d}")
    user = UserFactory(username="reg", registrar=True)
    a = case_open(series=series, title="A", actor=user, opened_at=dt.date(2026, 12, 31))
    b = case_open(series=series, title="B", actor=user, opened_at=dt.date(2027, 1, 1))
    c = case_open(series=series, title="C", actor=user, opened_at=dt.date(2027, 1, 2))
    assert (a.number, b.number, c.number) == ("KFN/2026/0001", "KFN/2027/0001", "KFN/2027/0002")


def test_number_allocate_rollback_consumes_nothing():
    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    case = case_open(series=series, title="A", actor=user, opened_at=dt.date(2026, 1, 5))
    with pytest.raises(RuntimeError), transaction.atomic():
        document_register(case=case, direction="incoming", date=dt.date(2026, 1, 5), sender="x",
                          description="d", reason="other", actor=user)
        raise RuntimeError("registreringen avbryts")
    with pytest.raises(RuntimeError), transaction.atomic():
        case_open(series=series, title="B", actor=user, opened_at=dt.date(2026, 1, 5))
        raise RuntimeError("avbryts")
    doc = document_register(case=case, direction="incoming", date=dt.date(2026, 1, 5), sender="x",
                            description="d", reason="other", actor=user)
    assert doc.number == "KS 2026/1-1"
    assert case_open(series=series, title="C", actor=user, opened_at=dt.date(2026, 1, 5)).number == "KS 2026/2"


def _run_threads(n_threads: int, work):
    errors: list[BaseException] = []
    barrier = threading.Barrier(n_threads)

    def target(i):
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_number_allocate_concurrent_threads_unique_and_gapless():
    _require_postgres()
    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    case = case_open(series=series, title="Delat ärende", actor=user, opened_at=dt.date(2026, 2, 1))
    n_threads, per_thread = 10, 8

    def work(i):
        for j in range(per_thread):
            if j == 3:  # one rolled-back registration per thread: must leave no gap
                try:
                    with transaction.atomic():
                        document_register(case=case, direction="incoming", date=dt.date(2026, 2, 1),
                                          sender="x", description="avbryts", reason="other", actor=user)
                        raise RuntimeError
                except RuntimeError:
                    pass
            document_register(case=case, direction="incoming", date=dt.date(2026, 2, 1), sender=f"t{i}",
                              description=f"{i}-{j}", reason="other", actor=user)
            # and a new case per registration in a brand-new year: races on the counter's creation
            case_open(series=series, title=f"{i}-{j}", actor=user, opened_at=dt.date(2031, 1, 1))

    _run_threads(n_threads, work)
    total = n_threads * per_thread
    sequences = sorted(Document.objects.filter(case=case).values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    case_seqs = sorted(Case.objects.filter(series=series, year=2031).values_list("sequence", flat=True))
    assert case_seqs == list(range(1, total + 1))
    assert NumberCounter.objects.get(series=series, year=2031, scope="case").last_value == total


# --- the counter is locked only at the end of the registration (issue 12) -------------------------


def test_numbers_deferred_new_case_and_its_documents_numbered_together():
    from records.diarium.services.numbering import numbers_deferred

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    with transaction.atomic(), numbers_deferred():
        case = case_open(series=series, title="Nytt", actor=user, opened_at=dt.date(2026, 5, 1))
        first = document_register(case=case, direction="incoming", date=dt.date(2026, 5, 1), sender="x",
                                  description="a", reason="other", actor=user)
        second = document_register(case=case, direction="incoming", date=dt.date(2026, 5, 1), sender="x",
                                   description="b", reason="other", actor=user)
        # inside the unit nothing is numbered yet: the counters are untouched
        assert case.number is None and first.number is None
        assert not NumberCounter.objects.filter(series=series, scope="case").exists()
    assert (case.number, first.number, second.number) == ("KS 2026/1", "KS 2026/1-1", "KS 2026/1-2")
    stored = Document.objects.filter(case=case).order_by("sequence").values_list("number", flat=True)
    assert list(stored) == ["KS 2026/1-1", "KS 2026/1-2"]
    assert NumberCounter.objects.get(scope=NumberCounter.document_scope(case.pk)).last_value == 2


def test_document_register_history_and_audit_name_the_number():
    from accounts.models import AuditEvent

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    case = case_open(series=series, title="A", actor=user, opened_at=dt.date(2026, 1, 5))
    doc = document_register(case=case, direction="incoming", date=dt.date(2026, 1, 5), sender="x",
                            description="d", reason="other", actor=user)
    history = list(Document.history.filter(id=doc.pk))
    assert [(h.history_type, h.number, h.sequence, h.history_user_id) for h in history] == [
        ("+", "KS 2026/1-1", 1, user.pk)]
    assert Case.history.get(id=case.pk).number == "KS 2026/1"
    labels = set(AuditEvent.objects.filter(target_type__in=["records.case", "records.document"]).values_list(
        "target_label", flat=True))
    assert labels == {"Ärende KS 2026/1", "Handling KS 2026/1-1"}


def test_document_register_secret_parts_marked_after_number_audit_names_it():
    from accounts.models import AuditEvent
    from tests.factories import LegalGroundFactory

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    case = case_open(series=series, title="A", actor=user, opened_at=dt.date(2026, 1, 5))
    doc = document_register(case=case, direction="incoming", date=dt.date(2026, 1, 5), sender="x",
                            description="d", reason="confidential", actor=user,
                            secret_parts={"content": LegalGroundFactory()})
    assert Document.objects.get(pk=doc.pk).secret_parts() == {"content"}
    marking = AuditEvent.objects.get(detail__operation="secrecy_mark")
    assert marking.target_label == "Handling KS 2026/1-1"


def test_numbers_deferred_savepoint_rolled_back_pending_row_refused_no_gap():
    from records.diarium.services.numbering import numbers_deferred

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    case = case_open(series=series, title="A", actor=user, opened_at=dt.date(2026, 1, 5))
    with pytest.raises(RuntimeError, match="vanished"), transaction.atomic(), numbers_deferred():
        try:
            with transaction.atomic():
                document_register(case=case, direction="incoming", date=dt.date(2026, 1, 5), sender="x",
                                  description="rullas tillbaka", reason="other", actor=user)
                raise ValueError
        except ValueError:
            pass  # the row is gone, but the unit still counts it: it must refuse rather than leave a gap
    doc = document_register(case=case, direction="incoming", date=dt.date(2026, 1, 5), sender="x",
                            description="d", reason="other", actor=user)
    assert doc.number == "KS 2026/1-1"


def test_case_open_unsupported_number_format_python_path_same_result():
    series = SeriesFactory(code="KFN", number_format="{series}:{year}:{number:>3}")
    user = UserFactory(username="reg", registrar=True)
    assert case_open(series=series, title="A", actor=user, opened_at=dt.date(2026, 1, 5)).number == "KFN:2026:  1"
    series2 = SeriesFactory(code="BUN", number_format="SM-{series} {year}/{number:05d}")
    case = case_open(series=series2, title="B", actor=user, opened_at=dt.date(2026, 1, 5))
    assert case.number == "SM-BUN 2026/00001" and Case.objects.get(pk=case.pk).number == "SM-BUN 2026/00001"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_document_register_counter_unlocked_until_the_end_postgres():
    """While a registration does its work the counter row is free; it is locked only from the moment the
    number is taken until the commit."""
    _require_postgres()

    from records.diarium.services.numbering import numbers_deferred

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    case = case_open(series=series, title="Delat", actor=user, opened_at=dt.date(2026, 2, 1))
    document_register(case=case, direction="incoming", date=dt.date(2026, 2, 1), sender="x", description="först",
                      reason="other", actor=user)
    counter = NumberCounter.objects.get(scope=NumberCounter.document_scope(case.pk))
    observed: list[str] = []
    run_probe = _counter_probe(observed, pk=counter.pk)
    with transaction.atomic():
        with numbers_deferred():
            document_register(case=case, direction="incoming", date=dt.date(2026, 2, 1), sender="x",
                              description="andra", reason="other", actor=user)
            run_probe()  # all the registration work is done, the number not yet taken
        run_probe()  # the number is taken: locked until commit
    run_probe()  # committed
    assert observed == ["free", "locked", "free"]
    assert NumberCounter.objects.get(pk=counter.pk).last_value == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_numbers_deferred_concurrent_units_with_rollbacks_gapless_postgres():
    """Registrars open a case and register into it in one unit, register into shared cases, roll some
    back after their numbers were taken, and register several at once: every scope stays 1..n."""
    _require_postgres()
    from records.diarium.services.numbering import numbers_deferred

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    shared = [case_open(series=series, title=f"Delat {i}", actor=user, opened_at=dt.date(2026, 3, 1))
              for i in range(2)]
    committed = {"units": 0}
    lock = threading.Lock()

    def register(case, n):
        document_register(case=case, direction="incoming", date=dt.date(2026, 3, 1), sender="x",
                          description=f"h{n}", reason="other", actor=user)

    def work(i):
        for j in range(6):
            try:
                with transaction.atomic():
                    with numbers_deferred():
                        if j % 3 == 0:
                            case = case_open(series=series, title=f"{i}-{j}", actor=user,
                                             opened_at=dt.date(2026, 3, 1))
                            register(case, j)
                        register(shared[(i + j) % 2], j)
                        register(shared[(i + j) % 2], j + 100)
                    if j % 4 == 3:
                        raise RuntimeError("avbryts efter att numren tagits")
                with lock:
                    committed["units"] += 1
            except RuntimeError:
                pass

    _run_threads(8, work)
    case_seqs = sorted(Case.objects.filter(series=series).values_list("sequence", flat=True))
    assert case_seqs == list(range(1, len(case_seqs) + 1))
    assert NumberCounter.objects.get(series=series, year=2026, scope="case").last_value == len(case_seqs)
    for case in Case.objects.filter(series=series):
        seqs = sorted(case.documents.values_list("sequence", flat=True))
        assert seqs == list(range(1, len(seqs) + 1)), case.number
        numbers = list(case.documents.values_list("number", flat=True))
        assert all(n == f"{case.number}-{s}" for n, s in zip(sorted(numbers, key=lambda x: int(x.rsplit("-", 1)[1])),
                                                               seqs, strict=True))
    assert not Document.objects.filter(number__isnull=True).exists()
    assert not Case.objects.filter(number__isnull=True).exists()
    assert Document.objects.count() == sum(3 if j % 3 == 0 else 2 for j in range(6) if j % 4 != 3) * 8


def _register(case, user, description: str, day: dt.date):
    return document_register(case=case, direction="incoming", date=day, sender="x", description=description,
                             reason="other", actor=user)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registration_unit_own_transaction_numbers_and_commits_in_one_statement_postgres():
    """A registering service that opens the transaction itself sends its numbering statement and the
    COMMIT together: the rows, history and audit rows are committed, on_commit work runs, and the
    connection is ready for the next transaction."""
    _require_postgres()
    from django.test.utils import CaptureQueriesContext

    from accounts.models import AuditEvent
    from records.diarium.services.numbering import registration_unit

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    committed: list[str] = []
    with CaptureQueriesContext(connection) as ctx, registration_unit():
        case = case_open(series=series, title="Nytt", actor=user, opened_at=dt.date(2026, 4, 1))
        doc = _register(case, user, "först", dt.date(2026, 4, 1))
        transaction.on_commit(lambda: committed.append(doc.number))
    numbering = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("WITH c AS")]
    assert len(numbering) == 1 and numbering[0].rstrip().endswith("; COMMIT"), numbering
    assert not connection.in_atomic_block
    assert committed == ["KS 2026/1-1"]

    def read_elsewhere(out: list) -> None:  # another connection sees only what was committed
        try:
            out.append(Document.objects.get(pk=doc.pk).number)
            out.append(Document.history.filter(id=doc.pk, history_type="+").values_list("number", flat=True)[0])
            out.append(AuditEvent.objects.get(target_type="records.document", target_id=str(doc.pk)).target_label)
        finally:
            connections.close_all()

    seen: list = []
    t = threading.Thread(target=read_elsewhere, args=(seen,))
    t.start()
    t.join(timeout=30)
    assert seen == ["KS 2026/1-1", "KS 2026/1-1", "Handling KS 2026/1-1"]
    second = _register(case, user, "andra", dt.date(2026, 4, 1))
    assert second.number == "KS 2026/1-2"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registration_unit_own_transaction_vanished_row_commits_nothing_postgres():
    """The numbering statement checks itself before its COMMIT: a pending row rolled back by a savepoint
    makes the statement fail, and neither the numbers nor the rest of the unit are committed."""
    _require_postgres()
    from records.diarium.services.numbering import registration_unit

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    case = case_open(series=series, title="A", actor=user, opened_at=dt.date(2026, 1, 5))
    with pytest.raises(RuntimeError, match="vanished"), registration_unit():
        _register(case, user, "stannar", dt.date(2026, 1, 5))
        try:
            with transaction.atomic():
                _register(case, user, "rullas tillbaka", dt.date(2026, 1, 5))
                raise ValueError
        except ValueError:
            pass
    assert not connection.in_atomic_block
    assert not Document.objects.exists()
    assert not NumberCounter.objects.filter(scope=NumberCounter.document_scope(case.pk), last_value__gt=0).exists()
    doc = _register(case, user, "d", dt.date(2026, 1, 5))
    assert doc.number == "KS 2026/1-1"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registration_unit_with_work_after_the_numbers_commits_separately_postgres():
    """Secrecy markings are made once the document has its number (their audit rows name it): the
    unit then commits after them, not in the numbering statement, and both are committed."""
    _require_postgres()
    from django.test.utils import CaptureQueriesContext

    from tests.factories import LegalGroundFactory

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    case = case_open(series=series, title="A", actor=user, opened_at=dt.date(2026, 1, 5))
    with CaptureQueriesContext(connection) as ctx:
        doc = document_register(case=case, direction="incoming", date=dt.date(2026, 1, 5), sender="x",
                                description="d", reason="confidential", actor=user,
                                secret_parts={"content": LegalGroundFactory()})
    assert not any(q["sql"].rstrip().endswith("COMMIT") and q["sql"].startswith("WITH") for q in ctx.captured_queries)
    assert Document.objects.get(pk=doc.pk).secret_parts() == {"content"}
    assert doc.number == "KS 2026/1-1"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registration_unit_inside_caller_transaction_counter_locked_until_caller_commits_postgres():
    """Inside a caller's transaction the unit is a savepoint of it: the number is taken when the unit
    ends and the counter stays locked until the caller commits (nothing is committed early)."""
    _require_postgres()

    from records.diarium.services.numbering import registration_unit

    series = SeriesFactory(code="KS")
    user = UserFactory(username="reg", registrar=True)
    case_open(series=series, title="Delat", actor=user, opened_at=dt.date(2026, 2, 1))
    observed: list[str] = []
    run_probe = _counter_probe(observed, committed=Case.objects.filter(title="Inne"), series=series, scope="case")
    with transaction.atomic():
        with registration_unit():
            case_open(series=series, title="Inne", actor=user, opened_at=dt.date(2026, 2, 1))
            run_probe()
        run_probe()
    run_probe()
    assert observed == ["free", "locked", "free, committed"]
