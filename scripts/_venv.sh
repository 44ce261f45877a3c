# shellcheck shell=bash
# Sourced by scripts/site and scripts/test: make the pinned virtual environments on demand.
# An environment is rebuilt whenever its lock file changes (the lock's hash is stamped inside it).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENVS=${SNIPCHECK_VENVS:-$ROOT/.venvs}
PYTHON=${PYTHON:-python3}

# ensure_venv NAME: .venvs/NAME from requirements/NAME.txt, quiet unless it has work to do.
ensure_venv() {
    local name=$1 lock="$ROOT/requirements/$1.txt" dir="$VENVS/$1"
    local want have
    want=$(sha256sum "$lock" | cut -d' ' -f1)
    have=$(cat "$dir/.lock-sha256" 2>/dev/null || true)
    [ "$want" = "$have" ] && return 0
    echo "setting up $dir from requirements/$name.txt ..." >&2
    rm -rf "$dir"
    "$PYTHON" -m venv "$dir"
    if ! "$dir/bin/python" -m pip install --disable-pip-version-check --no-deps -r "$lock" >"$dir.log" 2>&1; then
        echo "pip could not install requirements/$name.txt; the last lines of $dir.log:" >&2
        tail -n 20 "$dir.log" >&2
        return 1
    fi
    echo "$want" > "$dir/.lock-sha256"
}

# ensure_project: the engine (src/snipcheck) installed, editable, into the tools environment, so pytest, the
# MkDocs hook and the scripts import it without path tricks. Redone when the environment belongs to another
# checkout (SNIPCHECK_VENVS shared by a throwaway clone): each checkout tests its own engine.
ensure_project() {
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
