"""Every job function has a class of work, and each job goes to its class's queue."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import worker.jobs
from outbox.connection import get_queue
from outbox.queues import create_job
from outbox.routing import DEFAULT_CLASS
from outbox.routing import WORK_CLASSES
from outbox.routing import WorkClass
from outbox.routing import work_class

OUTBOX = Path(__file__).resolve().parents[2] / "outbox"


def _job_functions() -> set[str]:
    names: set[str] = set()
    for module_name in worker.jobs._MODULES:
        module = importlib.import_module(f"worker.jobs.{module_name}")
        names.update(module.__all__)
    return names


def test_every_job_function_is_classified_and_no_class_names_a_missing_one():
    assert set(WORK_CLASSES) == _job_functions()


def test_a_function_nobody_classified_is_bulk_work():
    assert DEFAULT_CLASS is WorkClass.BULK
    assert work_class("worker.jobs.something_new") is WorkClass.BULK
    assert work_class("worker.jobs.render_document") is WorkClass.INTERACTIVE
    assert work_class("parse_incoming") is WorkClass.BULK


def test_outbox_imports_nothing_from_views_services_or_worker():
    upward = []
    for path in OUTBOX.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            upward += [
                f"{path.name}: {name}"
                for name in names
                if name.split(".")[0] in {"views", "services", "worker", "forms", "web"}
            ]
    assert upward == []


def test_jobs_are_enqueued_on_the_queue_of_their_class(app, world):
    with app.app_context(), app.extensions["vanthu.db"].session() as session:
        jobs = {
            function: create_job(
                session, app, function=function, kind="x", organization_id=world["school"]
            )
            for function in ("render_document", "parse_incoming")
        }
    interactive, bulk = get_queue(app), get_queue(app, WorkClass.BULK)
    assert interactive.name == "vanthu-test" and bulk.name == "vanthu-test-bulk"
    assert interactive.job_ids == [jobs["render_document"].id]
    assert bulk.job_ids == [jobs["parse_incoming"].id]


def test_bulk_queue_name_can_be_set(app):
    app.config["BULK_QUEUE_NAME"] = "vanthu-lo"
    assert get_queue(app, WorkClass.BULK).name == "vanthu-lo"
