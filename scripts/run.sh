#!/usr/bin/env bash
# Start one worker and the web server (gunicorn) on the embedded defaults; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
"$PY" -m worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM
echo "Văn thư số đang chạy: http://$HOST:$PORT  (Ctrl-C để dừng)"
# Threaded workers (gunicorn.conf.py): slow clients hold a thread, not a whole worker.
.venv/bin/gunicorn -c gunicorn.conf.py --bind "$HOST:$PORT" --access-logfile - "web:create_app()"
