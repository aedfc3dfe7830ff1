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

# What goes into the venv: rasa itself, with every package it pulls in held at the version
# that installed and ran here (lock(), at the end). Rasa 3.6 caps few of its dependencies, so
# without the lock a new release of any of them could break a fresh install. A change to
# either reinstalls on the next `setup`.
RASA_REQUIREMENT="rasa==3.6.21"
PIP_VERSION="pip==24.3.1"

# Rasa must not phone home, nor write its caches into the clone or the working folder.
export RASA_TELEMETRY_ENABLED=false
export RASA_CACHE_DIRECTORY="$RASA_HOME/train-cache"
# Rasa's cache of trained components only helps when the data stay the same, and then the
# model itself is reused (see data_key): keep no cache (it grew to 350 MB per data set).
export RASA_MAX_CACHE_SIZE=0
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

requirements_key() {
    { echo "$RASA_REQUIREMENT $PIP_VERSION"; lock; } | sha256sum | cut -c1-16
}

# pip, minus the warnings of this machine's pip.conf about local indexes that do not exist
pip_install() {
    "$VENV/bin/python" -m pip install --progress-bar off "$@" >>"$RASA_HOME/setup.log" 2>&1 || {
        grep -v 'is ignored: it is neither a file nor a directory' "$RASA_HOME/setup.log" \
            | tail -n 25 >&2
        die "pip install failed (full log: $RASA_HOME/setup.log)"
    }
}

cmd_setup() {
    exclusive
    if installed; then
        say "venv ready: $VENV"
        return 0
    fi
    local key
    key="$(requirements_key)"
    local python
    python="$(find_python)" \
        || die "Python 3.10 not found (Rasa 3.6 needs Python < 3.11); set GUIDE_RASA_PYTHON"
    mkdir -p "$RASA_HOME"
    say "installing $RASA_REQUIREMENT into $VENV with $python" \
        "(the first time downloads ~1 GB and takes a few minutes; log: $RASA_HOME/setup.log)…"
    local started=$SECONDS
    rm -rf "$VENV"  # a half-made venv from an interrupted install is never reused
    : >"$RASA_HOME/setup.log"
    "$python" -m venv "$VENV"
    lock >"$RASA_HOME/constraints.txt"
    pip_install --upgrade "$PIP_VERSION"
    pip_install --constraint "$RASA_HOME/constraints.txt" "$RASA_REQUIREMENT"
    local version
    version="$("$VENV/bin/rasa" --version 2>>"$RASA_HOME/setup.log" \
        | awk '/^Rasa Version/ {print $NF}' || true)"
    [[ -n "$version" ]] || die "rasa does not start (log: $RASA_HOME/setup.log)"
    echo "$key" >"$MARKER"  # written only after a complete install
    say "installed Rasa $version in $((SECONDS - started)) s"
}

installed() { [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(requirements_key)" ]]; }

# One setup or training at a time in a cache folder.
exclusive() {
    mkdir -p "$RASA_HOME"
    exec 9>"$RASA_HOME/.lock"
    flock -n 9 || die "another 'scripts/rasa.sh' is installing or training in $RASA_HOME"
}

# Everything a trained model depends on: the training files and the pipeline under $1 (the
# clone, or the snapshot a training works from), and the Rasa install.
data_key() {
    (
        cd "$1"
        for file in nlu_data/*/*.yml rasa/config.yml; do
            printf '%s\0' "$file"
            cat "$file"
        done
        echo "$RASA_REQUIREMENT"
        lock
    ) | sha256sum | cut -c1-16
}

MODEL=""  # the model `train` made or found, which `up` then serves

cmd_train() {
    installed || die "Rasa is not installed (or its pins changed): run 'bash scripts/rasa.sh setup'"
    exclusive
    # Rasa reads every file of a data folder: give it only the training files (no README,
    # INTENTS.md or the embedded classifier's config.yml), and a copy of the pipeline so
    # that nothing it writes can land in the clone. The model is named after this snapshot,
    # so that files edited during a training do not get a model they were not part of.
    rm -rf "$RASA_HOME"/train-??????  # left by a training that was killed
    WORK="$(mktemp -d "$RASA_HOME/train-XXXXXX")"
    local work="$WORK"
    local file
    for file in "$ROOT"/nlu_data/*/*.yml; do
        local lang
        lang="$(basename "$(dirname "$file")")"
        mkdir -p "$work/nlu_data/$lang"
        cp "$file" "$work/nlu_data/$lang/"
    done
    mkdir -p "$work/rasa"
    cp "$CONFIG" "$work/rasa/config.yml"
    MODEL="$MODELS/nlu-$(data_key "$work").tar.gz"
    if [[ -f "$MODEL" ]]; then
        say "model up to date: $MODEL"
        return 0
    fi
    local count languages=("$work"/nlu_data/*/)
    count="$(cat "$work"/nlu_data/*/*.yml | grep -c '^ \+- ' || true)"
    say "training the Rasa NLU model on ~$count examples" \
        "(${#languages[@]} languages; log: $RASA_HOME/train.log)…"
    local started=$SECONDS
    mkdir -p "$MODELS"
    (cd "$work" && "$VENV/bin/rasa" train nlu --nlu nlu_data --config rasa/config.yml --out out \
        --fixed-model-name model 2>&1 | tee "$RASA_HOME/train.log")
    [[ -f "$work/out/model.tar.gz" ]] || die "training produced no model (log: $RASA_HOME/train.log)"
    mv "$work/out/model.tar.gz" "$MODEL"  # whole or nothing: a crash leaves no half model
    rm -rf "$work"
    WORK=""
    echo "$((SECONDS - started))" > "$MODEL.seconds"  # read by bench/nlu.py
    say "trained in $((SECONDS - started)) s: $MODEL"
    local old
    for old in "$MODELS"/nlu-*.tar.gz; do
        [[ "$old" == "$MODEL" ]] || rm -f "$old"
    done
}

# The model to serve: the one `train` just made or, alone, the one for the current files,
# else the latest one (with a warning).
model_to_serve() {
    if [[ -n "$MODEL" ]]; then
        echo "$MODEL"
        return 0
    fi
    local current latest
    current="$MODELS/nlu-$(data_key "$ROOT").tar.gz"
    if [[ -f "$current" ]]; then
        echo "$current"
        return 0
    fi
    # shellcheck disable=SC2012  # our own file names: nlu-<hex>.tar.gz
    latest="$(ls -t "$MODELS"/nlu-*.tar.gz 2>/dev/null | head -n 1 || true)"
    [[ -n "$latest" ]] || die "no model yet: run 'bash scripts/rasa.sh train' (or 'up')"
    say "warning: nlu_data/ or rasa/config.yml changed since $(basename "$latest") was" \
        "trained; serving it anyway ('bash scripts/rasa.sh train' makes a current one)"
    echo "$latest"
}

server_pid() {
    local pid
    [[ -f "$PIDFILE" ]] || return 1
    pid="$(cat "$PIDFILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() { curl -fsS --max-time 2 "http://$HOST:$PORT/status" >/dev/null 2>&1; }

cmd_serve() {
    installed || die "Rasa is not installed (or its pins changed): run 'bash scripts/rasa.sh setup'"
    local model pid
    model="$(model_to_serve)"
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
    # its own session, so that it outlives this script and `stop` can end its whole group;
    # without the lock's descriptor (9), which would keep setup and train locked out
    (cd "$RASA_HOME" && exec setsid "$VENV/bin/rasa" run --enable-api --model "$model" \
        --interface "$HOST" --port "$PORT" </dev/null >"$LOGFILE" 2>&1 9>&-) &
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

main() {
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
}

# The packages rasa==3.6.21 pulled in on Python 3.10 (x86_64 Linux), as `pip freeze` listed
# them once it had installed and trained here: the constraints of every later install.
lock() {
    cat <<'LOCK'
absl-py==1.4.0
aio-pika==8.2.3
aiofiles==25.1.0
aiogram==2.15
aiohttp==3.9.5
aiohttp-retry==2.9.1
aiormq==6.4.2
aiosignal==1.4.0
anyio==4.16.0
APScheduler==3.9.1.post1
astunparse==1.6.3
async-timeout==4.0.3
attrs==22.1.0
babel==2.19.0
bidict==0.23.1
boto3==1.44.8
botocore==1.44.8
CacheControl==0.12.14
certifi==2026.10.19.post1
cffi==2.1.1
charset-normalizer==3.5.3
click==8.5.1
cloudpickle==3.1.3
colorclass==2.2.2
coloredlogs==15.0.1
colorhash==1.2.1
confluent-kafka==2.16.1
cryptography==50.0.2
cycler==0.12.1
dask==2022.10.2
dnspython==2.3.0
docopt==0.6.2
exceptiongroup==1.3.2
fbmessenger==6.0.0
filelock==4.1.0
fire==0.7.1
flatbuffers==25.12.19
fonttools==4.65.0
frozenlist==1.8.0
fsspec==2026.9.0
future==1.0.0
gast==0.4.0
google-auth==2.63.0
google-auth-oauthlib==1.0.0
google-pasta==0.2.0
greenlet==3.5.6
grpcio==1.85.3
h11==0.16.0
h5py==3.16.0
hf-xet==1.8.0
httpcore2==2.14.0
httptools==0.9.0
httpx2==2.14.0
huggingface_hub==2.4.0
humanfriendly==10.0
idna==3.20
jax==0.4.30
jaxlib==0.4.30
jmespath==1.1.0
joblib==1.6.0
jsonpickle==3.0.4
jsonschema==4.17.3
keras==2.12.0
kiwisolver==1.5.1
libclang==18.1.1
locket==1.0.0
Markdown==3.10.3
MarkupSafe==3.0.4
matplotlib==3.5.3
mattermostwrapper==2.2
ml_dtypes==0.5.4
msgpack==1.2.4
multidict==5.2.0
networkx==2.6.3
numpy==1.23.5
oauthlib==4.0.1
opt_einsum==3.4.0
packaging==20.9
pamqp==3.2.1
partd==1.4.2
pillow==12.3.0
pluggy==1.7.0
portalocker==2.10.1
prompt-toolkit==3.0.28
propcache==0.5.4
protobuf==4.23.3
psycopg2-binary==2.9.13
pyasn1==0.6.5
pyasn1_modules==0.4.2
pycparser==3.11
pydantic==1.10.9
pydot==1.4.2
PyJWT==2.15.1
pykwalify==1.8.0
pymongo==4.3.3
pyparsing==3.3.3
pyrsistent==0.20.0
python-crfsuite==0.9.12
python-dateutil==2.8.2
python-engineio==4.15.1
python-socketio==5.18.1
pytz==2022.7.1
PyYAML==6.0.4
questionary==1.10.0
randomname==0.1.5
rasa-sdk==3.6.2
redis==4.6.0
regex==2022.10.31
requests==2.34.2
requests-oauthlib==2.0.0
requests-toolbelt==1.0.0
rocketchat-API==1.30.0
ruamel.yaml==0.17.21
ruamel.yaml.clib==0.2.15
s3transfer==0.19.3
safetensors==0.4.5
sanic==21.12.2
Sanic-Cors==2.0.1
sanic-jwt==1.8.0
sanic-routing==0.7.2
scikit-learn==1.1.3
scipy==1.10.1
sentry-sdk==1.14.0
simple-websocket==1.1.0
six==1.17.0
sklearn-crfsuite==0.3.6
skops==0.9.0
slack_sdk==3.48.0
SQLAlchemy==1.4.54
structlog==23.3.0
structlog-sentry==2.1.0
tabulate==0.10.0
tarsafe==0.0.4
tensorboard==2.12.3
tensorboard-data-server==0.7.2
tensorflow==2.12.0
tensorflow-estimator==2.12.0
tensorflow-hub==0.13.0
tensorflow-io-gcs-filesystem==0.32.0
tensorflow-text==2.12.0
termcolor==3.3.0
terminaltables==3.1.10
threadpoolctl==3.8.0
tomli==2.5.0
toolz==1.2.0
tqdm==4.70.1
truststore==0.10.5
twilio==8.2.2
typing-utils==0.1.0
typing_extensions==4.16.0
tzlocal==5.4.5
ujson==5.13.0
urllib3==2.8.0
uvloop==0.23.0
wcwidth==0.9.4
webexteamssdk==1.6.1
websockets==10.4
Werkzeug==3.1.9
wrapt==1.14.2
wsproto==1.3.2
yarl==1.25.1
LOCK
}

main "$@"
