"""What every Celery task promises: time limits, and a queue for its kind of work."""

from __future__ import annotations

from config.celery import KIND_OF_TASK, KINDS, app, queue_names, route_task


def _our_tasks() -> dict:
    app.loader.import_default_modules()
    return {
        name: task
        for name, task in app.tasks.items()
        if name.startswith(("feeds.", "talent.", "config."))
    }


def test_every_task_has_a_soft_and_a_hard_time_limit():
    tasks = _our_tasks()
    assert len(tasks) >= 9
    for name, task in tasks.items():
        assert task.soft_time_limit, f"{name} has no soft time limit"
        assert task.time_limit and task.time_limit > task.soft_time_limit, name


def test_polls_extraction_and_mail_each_have_a_queue_of_their_own():
    tasks = _our_tasks()
    assert set(KIND_OF_TASK) <= set(tasks), "a routed task no longer exists"
    base = app.conf.task_default_queue
    assert queue_names() == [base, f"{base}.poll", f"{base}.extract", f"{base}.mail"]
    for name in tasks:
        route = route_task(name, (), {}, {})
        kind = KIND_OF_TASK.get(name)
        assert route == ({"queue": f"{base}.{kind}"} if kind else None), name
    assert set(KIND_OF_TASK.values()) == set(KINDS)


def test_an_enqueue_while_the_broker_is_down_is_logged_not_raised(
    db, caplog, django_capture_on_commit_callbacks
):
    from celery import Celery

    from config.celery import enqueue_on_commit

    # Not the current app: the rest of the session keeps the real broker.
    nowhere = Celery("down", broker="redis://127.0.0.1:9/0", set_as_current=False)
    nowhere.conf.broker_connection_retry = False
    nowhere.conf.task_publish_retry_policy = {"max_retries": 0}

    @nowhere.task(name="tests.noop")
    def noop(value):
        return value

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(noop, 1)  # no exception reaches the caller
    assert "could not enqueue tests.noop(1,) (the sweep will)" in caplog.text
