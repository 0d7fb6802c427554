"""The Redis connection and the RQ queues of an app: interactive work and bulk work."""

from __future__ import annotations

import redis
from flask import Flask
from rq import Queue
from rq.serializers import JSONSerializer

from outbox import embedded
from outbox.routing import WorkClass

EXTENSION_KEY = "vanthu.redis"


def redis_url(app: Flask) -> str:
    """``REDIS_URL`` when set, else the embedded server's URL (started if needed)."""
    return app.config.get("REDIS_URL") or embedded.ensure_running(app.instance_path)


def get_redis(app: Flask) -> redis.Redis:
    """The app's Redis client, created on first use (so the web starts even if Redis is down)."""
    client = app.extensions.get(EXTENSION_KEY)
    if client is None:
        client = redis.Redis.from_url(
            redis_url(app), socket_connect_timeout=5, socket_timeout=30, health_check_interval=30
        )
        app.extensions[EXTENSION_KEY] = client
    return client


def queue_name(app: Flask, work_class: WorkClass) -> str:
    """``QUEUE_NAME`` for interactive work; ``BULK_QUEUE_NAME``, by default the same name
    with ``-bulk``, for bulk work (so one setting keeps test and bench queues apart)."""
    name = app.config["QUEUE_NAME"]
    if work_class is WorkClass.INTERACTIVE:
        return name
    return app.config.get("BULK_QUEUE_NAME") or f"{name}-bulk"


def get_queue(app: Flask, work_class: WorkClass = WorkClass.INTERACTIVE) -> Queue:
    """The app's RQ queue of one class of work, with the JSON serializer (jobs carry ids
    only, never pickles)."""
    return Queue(
        queue_name(app, work_class),
        connection=get_redis(app),
        serializer=JSONSerializer,
        default_timeout=app.config["JOB_TIMEOUT"],
    )


def get_queues(app: Flask, only: WorkClass | None = None) -> list[Queue]:
    """The queues a worker serves, in the order RQ serves them: interactive work first."""
    classes = [only] if only else [WorkClass.INTERACTIVE, WorkClass.BULK]
    return [get_queue(app, work_class) for work_class in classes]
