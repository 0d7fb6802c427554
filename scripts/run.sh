#!/usr/bin/env bash
# Start the embedded Redis (unless REDIS_URL is set), one worker and the web server
# (gunicorn) on the embedded defaults. The worker restarts the embedded Redis if it stops.
# Ctrl-C (or SIGTERM) stops the web server, the worker and the embedded Redis, and the
# script exits 0.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
INSTANCE=$PWD/instance  # the app's instance folder (Flask: beside web.py)
WORKER= WEB=

stop_all() {
    trap - INT TERM
    [ -n "$WEB" ] && kill -TERM "$WEB" 2>/dev/null
    [ -n "$WORKER" ] && kill -TERM "$WORKER" 2>/dev/null
    wait 2>/dev/null
    if [ -z "${REDIS_URL:-}" ]; then
        "$PY" -m outbox.embedded stop "$INSTANCE" >/dev/null 2>&1 || true
    fi
    echo "Đã dừng Văn thư số."
    exit 0
}
trap stop_all INT TERM

if [ -z "${REDIS_URL:-}" ]; then
    "$PY" -m outbox.embedded start "$INSTANCE" >/dev/null || exit 1
fi
"$PY" -m worker &
WORKER=$!
echo "Văn thư số đang chạy: http://$HOST:$PORT  (Ctrl-C để dừng)"
# Threaded workers (gunicorn.conf.py): slow clients hold a thread, not a whole worker.
"${GUNICORN:-.venv/bin/gunicorn}" -c gunicorn.conf.py --bind "$HOST:$PORT" --access-logfile - \
    "web:create_app()" &
WEB=$!
# Either process ending on its own ends the other ones too.
wait -n "$WORKER" "$WEB"
stop_all
