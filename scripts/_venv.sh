# shellcheck shell=bash
# Sourced by scripts/site, scripts/test and scripts/tool: make the pinned virtual environments on demand.
# An environment is rebuilt whenever its lock file changes (the lock's hash is stamped inside it).
#
# Layout: $VENVS/NAME is a symlink to $VENVS/NAME-<first 12 hex of the lock's sha256>, the environment
# itself. A rebuild happens in a new folder and the symlink is swapped by a rename, so a process still
# running from the old environment keeps its files; the previous one is kept, older ones are removed.
# A lock ($VENVS/.lock, flock) makes scripts started together build each environment once.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENVS=${SNIPCHECK_VENVS:-$ROOT/.venvs}
# Where the locks are read from; tests point it at tiny fake ones.
REQUIREMENTS=${SNIPCHECK_REQUIREMENTS:-$ROOT/requirements}
PYTHON=${PYTHON:-python3}
SCRIPT="scripts/$(basename "$0")"

# check_python: one line and a failure unless $PYTHON is a Python 3.11 or newer.
check_python() {
    local found version ok exe
    # Written so that any Python, even 2, can say what it is.
    if ! found=$("$PYTHON" -c 'import sys; v = sys.version_info; print("%d.%d %d %s" % (v[0], v[1], v >= (3, 11), sys.executable))' 2>/dev/null); then
        echo "$SCRIPT: Python 3.11 or newer is needed; '$PYTHON' does not run (set PYTHON=...)" >&2
        return 1
    fi
    read -r version ok exe <<<"$found"
    if [ "$ok" != 1 ]; then
        echo "$SCRIPT: Python 3.11 or newer is needed; found $version at $exe (set PYTHON=...)" >&2
        return 1
    fi
}

# with_venvs_lock CMD...: CMD while holding $VENVS/.lock (waits, saying so, when another script has it).
with_venvs_lock() {
    mkdir -p "$VENVS"
    if ! command -v flock >/dev/null; then "$@"; return; fi     # no util-linux (macOS): unlocked
    local fd status=0
    exec {fd}>>"$VENVS/.lock"
    if ! flock -n "$fd"; then
        echo "$SCRIPT: waiting for another script to finish preparing $VENVS ..." >&2
        flock "$fd"
    fi
    "$@" || status=$?
    exec {fd}>&-
    return "$status"
}

# ensure_venv NAME: $VENVS/NAME from requirements/NAME.txt, quiet unless it has work to do.
ensure_venv() {
    local want
    want=$(sha256sum "$REQUIREMENTS/$1.txt" | cut -d' ' -f1) || return 1
    [ "$want" = "$(cat "$VENVS/$1/.lock-sha256" 2>/dev/null || true)" ] && return 0
    with_venvs_lock _build_venv "$1" "$want"
}

# _build_venv NAME SHA: under the lock; re-checks first, since the script that held the lock may have
# built this very environment.
_build_venv() {
    local name=$1 want=$2 link="$VENVS/$1" lock="$REQUIREMENTS/$1.txt"
    local dir="$VENVS/$1-${2:0:12}" previous=""
    [ "$want" = "$(cat "$link/.lock-sha256" 2>/dev/null || true)" ] && return 0
    if [ "$want" != "$(cat "$dir/.lock-sha256" 2>/dev/null || true)" ]; then
        check_python || return 1
        echo "setting up $link from requirements/$name.txt ..." >&2
        rm -rf "$dir"
        "$PYTHON" -m venv "$dir" || return 1
        # --require-hashes: every package, dependencies included, must be in the lock with its sha256.
        if ! "$dir/bin/python" -m pip install --disable-pip-version-check --require-hashes -r "$lock" \
                >"$link.log" 2>&1; then
            echo "pip could not install requirements/$name.txt; the last lines of $link.log:" >&2
            tail -n 20 "$link.log" >&2
            rm -rf "$dir"
            return 1
        fi
        echo "$want" > "$dir/.lock-sha256"
    fi
    if [ -L "$link" ]; then
        previous=$(readlink "$link")
    elif [ -e "$link" ]; then             # a real folder, from before this layout
        previous="$name-legacy"
        rm -rf "${VENVS:?}/$previous"
        mv "$link" "$VENVS/$previous"
    fi
    ln -sfn "$(basename "$dir")" "$link.new" && mv -T "$link.new" "$link"
    _prune "$name" "$(basename "$dir")" "$previous"
}

# _prune NAME KEEP...: remove the environments NAME-* other than the ones to keep.
_prune() {
    local name=$1 old
    shift
    for old in "$VENVS/$name"-*; do
        [ -d "$old" ] && [ ! -L "$old" ] && [ -e "$old/pyvenv.cfg" ] || continue
        case " $* " in *" $(basename "$old") "*) continue ;; *) ;; esac
        if [[ $(basename "$old") =~ ^"$name"-([0-9a-f]{12}|legacy)$ ]]; then rm -rf "$old"; fi
    done
}

# ensure_project: the engine (src/snipcheck) installed, editable, into the tools environment, so pytest, the
# MkDocs hook and the scripts import it without path tricks. Redone when the environment belongs to another
# checkout (SNIPCHECK_VENVS shared by a throwaway clone): each checkout tests its own engine.
ensure_project() {
    [ "$(cat "$VENVS/tools/.project-root" 2>/dev/null || true)" = "$ROOT" ] && return 0
    with_venvs_lock _install_project
}

_install_project() {
    local dir="$VENVS/tools" stamp="$VENVS/tools/.project-root"
    [ "$(cat "$stamp" 2>/dev/null || true)" = "$ROOT" ] && return 0
    if ! "$dir/bin/python" -m pip install --disable-pip-version-check --no-deps --no-build-isolation \
            --editable "$ROOT" >"$dir.project.log" 2>&1; then
        echo "pip could not install the engine (src/snipcheck) into $dir; the last lines of $dir.project.log:" >&2
        tail -n 20 "$dir.project.log" >&2
        return 1
    fi
    echo "$ROOT" > "$stamp"
}
