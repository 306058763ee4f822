from __future__ import annotations

import pytest

from talent.models import Move
from talent.tasks import moves_rebuild_for_person
from tests import factories as f
from tests.integration.conftest import wait_until

pytestmark = pytest.mark.integration


def test_a_real_worker_runs_a_task_that_writes_to_the_database(celery_worker):
    who = f.person("Mira Murati")
    lab = f.org("Thinking Machines Lab")
    # Stints written without rebuilding: only the worker's task will derive the moves.
    f.stint(who, f.org("OpenAI"), "2018-06", "2024-09", rebuild=False)
    f.stint(who, lab, "2025-02", "present", is_founder=True, rebuild=False)
    assert not Move.objects.filter(person=who).exists()

    moves_rebuild_for_person.apply_async(args=[who.pk], queue=celery_worker.queue)

    wait_until(
        lambda: Move.objects.filter(person=who).count() == 2,
        message=f"the worker to write moves\n{celery_worker.log()}",
    )
    founding = Move.objects.get(person=who, to_org=lab)
    assert founding.kind == Move.Kind.FOUNDING and founding.from_org.name == "OpenAI"
    wait_until(lambda: "succeeded" in celery_worker.log(), message="the task to report success")
    assert "moves 2" in celery_worker.log()


def test_the_nightly_reconcile_runs_on_a_real_worker_and_repairs_drifted_moves(celery_worker):
    import datetime as dt

    from talent.models import Stint
    from talent.tasks import moves_reconcile

    who = f.person("Jan Leike")
    first = f.stint(who, f.org("OpenAI"), "2021-01", "2024-05")
    f.stint(who, f.org("Anthropic"), "2024-05", "present")
    # A bulk edit that bypasses the services leaves the derived moves stale.
    Stint.objects.filter(pk=first.pk).update(start_date=dt.date(2020, 1, 1))
    moves_reconcile.apply_async(queue=celery_worker.queue)
    wait_until(
        lambda: Move.objects.filter(person=who, date=dt.date(2020, 1, 1)).exists(),
        message=f"the reconcile task\n{celery_worker.log()}",
    )
    wait_until(lambda: "rebuilt 1" in celery_worker.log(), message=celery_worker.log())
