#!/usr/bin/env bash
# Start the embedded Redis (unless REDIS_URL is set), one worker and the web server
# (gunicorn) on the embedded defaults. The worker restarts the embedded Redis if it stops.
# Ctrl-C (or SIGTERM) stops the web server, the worker and the embedded Redis, and the
# script exits 0. A job in flight may finish first, for up to STOP_GRACE seconds (default
# 30); then the worker is stopped cold and the sweeper puts its job back on the queue.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
INSTANCE=$PWD/instance  # the app's instance folder (Flask: beside web.py)
WORKER= WEB=

STOP_GRACE=${STOP_GRACE:-30}

# alive PID: whether PID still runs (bash reaps its children as they end).
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# wait_up_to SECONDS PID...: until every PID has ended, or SECONDS have passed.
wait_up_to() {
    local ticks=$(($1 * 5)) pid running
    shift
    while [ "$ticks" -gt 0 ]; do
        running=
        for pid in "$@"; do alive "$pid" && running=1; done
        [ -z "$running" ] && return 0
        sleep 0.2
        ticks=$((ticks - 1))
    done
    return 1
}

stop_all() {
    trap - INT TERM
    alive "$WEB" && kill -TERM "$WEB" 2>/dev/null
    alive "$WORKER" && kill -TERM "$WORKER" 2>/dev/null
    # The web server's graceful timeout is 30 s (gunicorn.conf.py); a second TERM to the
    # worker after RQ's one second is its cold stop; KILL is for whatever still hangs.
    if ! wait_up_to "$STOP_GRACE" "$WORKER" "$WEB"; then
        alive "$WORKER" && kill -TERM "$WORKER" 2>/dev/null
        if ! wait_up_to 10 "$WORKER" "$WEB"; then
            echo "Dừng cưỡng bức những tiến trình không tự dừng." >&2
            alive "$WEB" && kill -KILL "$WEB" 2>/dev/null
            alive "$WORKER" && kill -KILL "$WORKER" 2>/dev/null
        fi
    fi
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
