"""The Redis connection and the RQ queue of an app."""

from __future__ import annotations

import redis
from flask import Flask
from rq import Queue
from rq.serializers import JSONSerializer

from outbox import embedded

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


def get_queue(app: Flask) -> Queue:
    """The app's RQ queue, with the JSON serializer (jobs carry ids only, never pickles)."""
    return Queue(
        app.config["QUEUE_NAME"],
        connection=get_redis(app),
        serializer=JSONSerializer,
        default_timeout=app.config["JOB_TIMEOUT"],
    )
