#!/usr/bin/env bash
# A Rasa Open Source NLU server for the guide, outside the bot's own environment.
#
#   bash scripts/rasa.sh up       # setup + train + serve: the one command
#   bash scripts/rasa.sh setup    # Python 3.10 venv with rasa==3.6.21 (reused once complete)
#   bash scripts/rasa.sh train    # NLU-only model from nlu_data/*/*.yml (reused while unchanged)
#   bash scripts/rasa.sh serve    # `rasa run --enable-api` in the background, waits until ready
#   bash scripts/rasa.sh stop     # stops the server started by `serve`
#   bash scripts/rasa.sh status   # says whether the server answers
#
# Rasa pins pydantic 1 and TensorFlow 2.12 and needs Python < 3.11, so it lives in its own
# venv in a cache folder outside the clone; the bot never imports it and only speaks HTTP
# (bot/nlu/rasa.py). Settings, from the environment:
#   GUIDE_RASA_HOME    cache folder (default ~/.cache/guide-rasa): venv, models, logs, pid file
#   GUIDE_RASA_PYTHON  a Python 3.10 (default: python3.10 on PATH, else pyenv's 3.10.x)
#   GUIDE_RASA_PORT    port on 127.0.0.1 (default 5005)
#   GUIDE_RASA_WAIT    seconds `serve` waits for the server to answer (default 300)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RASA_HOME="${GUIDE_RASA_HOME:-$HOME/.cache/guide-rasa}"
VENV="$RASA_HOME/venv"
MARKER="$VENV/.guide-rasa-installed"
MODELS="$RASA_HOME/models"
HOST=127.0.0.1
PORT="${GUIDE_RASA_PORT:-5005}"
WAIT="${GUIDE_RASA_WAIT:-300}"
PIDFILE="$RASA_HOME/server-$PORT.pid"
LOGFILE="$RASA_HOME/server-$PORT.log"
CONFIG="$ROOT/rasa/config.yml"

# What goes into the venv. Changing a line here reinstalls on the next `setup`.
# rasa 3.6.21 itself pins most of its dependencies; the others keep the resolver off
# releases that break it on Python 3.10 today.
REQUIREMENTS="rasa==3.6.21
setuptools<70"

# Rasa must not phone home, nor write its caches into the clone or the working folder.
export RASA_TELEMETRY_ENABLED=false
export RASA_CACHE_DIRECTORY="$RASA_HOME/train-cache"
export TF_CPP_MIN_LOG_LEVEL=2
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export PYTHONWARNINGS=ignore

WORK=""
cleanup() { if [[ -n "$WORK" ]]; then rm -rf "$WORK"; fi; }
trap cleanup EXIT

say() { printf 'rasa.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

find_python() {
    local candidate
    for candidate in "${GUIDE_RASA_PYTHON:-}" "$(command -v python3.10 || true)" \
                     "$HOME"/.pyenv/versions/3.10.*/bin/python /root/.pyenv/versions/3.10.*/bin/python; do
        if [[ -n "$candidate" && -x "$candidate" ]] \
           && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

requirements_key() { printf '%s\n' "$REQUIREMENTS" | sha256sum | cut -c1-16; }

cmd_setup() {
    local key
    key="$(requirements_key)"
    if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$key" ]]; then
        say "venv ready: $VENV"
        return 0
    fi
    local python
    python="$(find_python)" || die "Python 3.10 not found (Rasa 3.6 needs Python < 3.11); set GUIDE_RASA_PYTHON"
    mkdir -p "$RASA_HOME"
    say "installing Rasa into $VENV with $python (the first time takes several minutes)…"
    local started=$SECONDS
    rm -rf "$VENV"  # a half-made venv from an interrupted install is never reused
    "$python" -m venv "$VENV"
    local requirements="$RASA_HOME/requirements.txt"
    printf '%s\n' "$REQUIREMENTS" > "$requirements"
    "$VENV/bin/python" -m pip install --quiet --upgrade "pip==24.3.1"
    "$VENV/bin/python" -m pip install --quiet --requirement "$requirements"
    say "checking that Rasa imports…"
    "$VENV/bin/rasa" --version >/dev/null || die "rasa does not start; see the output above"
    echo "$key" > "$MARKER"  # written only after a complete install
    say "installed in $((SECONDS - started)) s: $("$VENV/bin/python" -c 'import rasa; print("rasa", rasa.__version__)')"
}

# Everything a trained model depends on: the training files, the pipeline, the Rasa install.
data_key() {
    (
        cd "$ROOT"
        for file in nlu_data/*/*.yml rasa/config.yml; do
            printf '%s\0' "$file"
            cat "$file"
        done
        printf '%s\n' "$REQUIREMENTS"
    ) | sha256sum | cut -c1-16
}

model_path() { echo "$MODELS/nlu-$(data_key).tar.gz"; }

cmd_train() {
    [[ -f "$MARKER" ]] || die "Rasa is not installed: run 'bash scripts/rasa.sh setup' first"
    local model
    model="$(model_path)"
    if [[ -f "$model" ]]; then
        say "model up to date: $model"
        return 0
    fi
    # Rasa reads every file of a data folder: give it only the training files (no README,
    # INTENTS.md or the embedded classifier's config.yml), and a copy of the pipeline so
    # that nothing it writes can land in the clone.
    WORK="$(mktemp -d "$RASA_HOME/train-XXXXXX")"
    local work="$WORK"
    local file
    for file in "$ROOT"/nlu_data/*/*.yml; do
        local lang
        lang="$(basename "$(dirname "$file")")"
        mkdir -p "$work/data/$lang"
        cp "$file" "$work/data/$lang/"
    done
    cp "$CONFIG" "$work/config.yml"
    local count
    count="$(cat "$work"/data/*/*.yml | grep -c '^ \+- ' || true)"
    say "training the Rasa NLU model on ~$count examples ($(ls -d "$work"/data/*/ | wc -l) languages)…"
    local started=$SECONDS
    mkdir -p "$MODELS"
    (cd "$work" && "$VENV/bin/rasa" train nlu --nlu data --config config.yml --out out \
        --fixed-model-name model)
    [[ -f "$work/out/model.tar.gz" ]] || die "training produced no model"
    mv "$work/out/model.tar.gz" "$model"  # whole or nothing: a crash leaves no half model
    rm -rf "$work"
    WORK=""
    say "trained in $((SECONDS - started)) s: $model"
    local old
    for old in "$MODELS"/nlu-*.tar.gz; do
        [[ "$old" == "$model" ]] || rm -f "$old"
    done
}

server_pid() {
    local pid
    [[ -f "$PIDFILE" ]] || return 1
    pid="$(cat "$PIDFILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() { curl -fsS --max-time 2 "http://$HOST:$PORT/status" >/dev/null 2>&1; }

cmd_serve() {
    local model pid
    model="$(model_path)"
    [[ -f "$model" ]] || die "no model for the current nlu_data/: run 'bash scripts/rasa.sh train' first"
    if pid="$(server_pid)"; then
        if [[ "$(cat "$PIDFILE.model" 2>/dev/null)" == "$model" ]] && answers; then
            say "already serving $(basename "$model") at http://$HOST:$PORT (pid $pid)"
            return 0
        fi
        say "restarting the server (pid $pid) with $(basename "$model")"
        cmd_stop
    fi
    if answers; then
        die "something else already answers on port $PORT; stop it or set GUIDE_RASA_PORT"
    fi
    say "starting Rasa on http://$HOST:$PORT (log: $LOGFILE)…"
    # its own session, so that it outlives this script and `stop` can end its whole group
    (cd "$RASA_HOME" && exec setsid "$VENV/bin/rasa" run --enable-api --model "$model" \
        --interface "$HOST" --port "$PORT" </dev/null >"$LOGFILE" 2>&1) &
    pid=$!
    echo "$pid" > "$PIDFILE"
    echo "$model" > "$PIDFILE.model"
    local started=$SECONDS
    until answers; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PIDFILE" "$PIDFILE.model"
            tail -n 20 "$LOGFILE" >&2 || true
            die "the server stopped while starting; see $LOGFILE"
        fi
        if ((SECONDS - started > WAIT)); then
            tail -n 20 "$LOGFILE" >&2 || true
            die "the server did not answer within $WAIT s (still running as pid $pid; 'stop' ends it)"
        fi
        sleep 1
    done
    say "ready in $((SECONDS - started)) s at http://$HOST:$PORT (pid $pid)"
}

cmd_stop() {
    local pid
    if ! pid="$(server_pid)"; then
        rm -f "$PIDFILE" "$PIDFILE.model"
        say "no server running on port $PORT"
        return 0
    fi
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < 20)); do
        sleep 0.5
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE" "$PIDFILE.model"
    say "stopped the server (pid $pid)"
}

cmd_status() {
    if answers; then
        curl -fsS --max-time 2 "http://$HOST:$PORT/status"
        echo
    else
        say "no server answers at http://$HOST:$PORT"
        return 1
    fi
}

case "${1:-}" in
    setup) cmd_setup ;;
    train) cmd_train ;;
    serve) cmd_serve ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    up)
        # one after the other, not with &&, so that `set -e` stops at the first failure
        cmd_setup
        cmd_train
        cmd_serve
        ;;
    *)
        sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
