"""RQ entry point for e-mail notifications: send one letter now (see services.notifications).

The web enqueues ``deliver(notification_id)`` after the commit that wrote the letter; the
sweeper (worker.sweeper) sends whatever this missed. Both claim the row first, so a letter
enqueued twice is sent once.
"""

from __future__ import annotations

from flask import has_app_context

from services import notifications
from storage.db import real_app


def deliver(notification_id: int) -> str:
    if has_app_context():
        return notifications.deliver(real_app(), notification_id)
    from worker.runner import worker_app

    return notifications.deliver(worker_app(), notification_id)
