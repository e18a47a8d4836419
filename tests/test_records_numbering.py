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
