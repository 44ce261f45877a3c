# shellcheck shell=bash
# Sourced by scripts/site, scripts/test and scripts/tool: make the pinned virtual environments on demand.
# An environment is rebuilt whenever its lock file or BUILD_RECIPE changes (their hash is stamped inside it).
#
# Layout: $VENVS/NAME is a symlink to $VENVS/NAME-<first 12 hex of that sha256>, the environment
# itself. A rebuild happens in a new folder and the symlink is swapped by a rename, so a process still
# running from the old environment keeps its files; the previous one is kept, older ones are removed.
# A lock ($VENVS/.lock, flock) makes scripts started together build each environment once.
#
# Installer: uv (requirements/bootstrap.txt, installed with pip from wheels only into $VENVS/bootstrap, and
# only when an environment has to be built), ten times faster than pip on the big locks. pip stays as the
# fallback: SNIPCHECK_INSTALLER=pip, or automatically when no uv wheel fits the machine. Both install the
# same hash-checked locks; a failure of uv itself (a wrong hash, no network) is an error, never a fallback.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENVS=${SNIPCHECK_VENVS:-$ROOT/.venvs}
# Where the locks are read from; tests point it at tiny fake ones.
REQUIREMENTS=${SNIPCHECK_REQUIREMENTS:-$ROOT/requirements}
PYTHON=${PYTHON:-python3}
SCRIPT="scripts/$(basename "$0")"
# The interpreter check_python found (its sys.executable); uv builds the environments on it.
PYTHON_EXE=""
# The uv that builds the environments ("" for pip), chosen on the first build (_choose_installer).
UV_BIN="" _INSTALLER_CHOSEN=""
# uv trusts the platform's certificate store, as pip does on Debian: behind a TLS-inspecting proxy (whose CA
# the machine trusts) its built-in roots fail with "invalid peer certificate: UnknownIssuer".
export UV_SYSTEM_CERTS="${UV_SYSTEM_CERTS:-1}"
case ${SNIPCHECK_INSTALLER:=uv} in
    uv | pip) ;;
    *) echo "$SCRIPT: SNIPCHECK_INSTALLER is '$SNIPCHECK_INSTALLER'; it can be uv (the default) or pip" >&2; exit 2 ;;
esac

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
    PYTHON_EXE=$exe
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
    want=$(_lock_sha "$1") || return 1
    [ "$want" = "$(cat "$VENVS/$1/.lock-sha256" 2>/dev/null || true)" ] && return 0
    with_venvs_lock _build_venv "$1" "$want"
}

# How an environment is built, beyond its lock: a change here makes every checkout rebuild its environments
# once (2: the snippet runtimes come with their bytecode compiled).
BUILD_RECIPE=2

# _lock_sha NAME: the sha256 of requirements/NAME.txt and BUILD_RECIPE, or one line saying the lock is missing.
_lock_sha() {
    local lock="$REQUIREMENTS/$1.txt"
    [ -f "$lock" ] || { echo "$SCRIPT: $(_shown "$lock") is missing (scripts/lock $1 writes it)" >&2; return 1; }
    { echo "build recipe $BUILD_RECIPE"; cat "$lock"; } | sha256sum | cut -d' ' -f1
}

# _shown PATH: PATH relative to the checkout when it is inside, for messages.
_shown() { echo "${1#"$ROOT/"}"; }

# _build_venv NAME SHA: under the lock; re-checks first, since the script that held the lock may have
# built this very environment. Returns 3 (quietly) when the bootstrap finds no uv wheel for this machine.
_build_venv() {
    local name=$1 want=$2 link="$VENVS/$1" lock="$REQUIREMENTS/$1.txt"
    local dir="$VENVS/$1-${2:0:12}" previous="" installer=pip
    [ "$want" = "$(cat "$link/.lock-sha256" 2>/dev/null || true)" ] && return 0
    if [ "$want" != "$(cat "$dir/.lock-sha256" 2>/dev/null || true)" ]; then
        check_python || return 1
        if [ "$name" != bootstrap ]; then
            _choose_installer || return 1
            [ -z "$UV_BIN" ] || installer=uv
        fi
        echo "setting up $(_shown "$link") from $(_shown "$lock") with $installer ..." >&2
        rm -rf "$dir"
        if ! "_create_with_$installer" "$name" "$dir" "$lock" >"$link.log" 2>&1; then
            rm -rf "$dir"
            if [ "$name" = bootstrap ] && grep -q "No matching distribution found" "$link.log"; then return 3; fi
            _explain_failure "$installer" "$lock" "$link.log"
            return 1
        fi
        echo "$installer" > "$dir/.installer"
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

# _create_with_uv NAME DIR LOCK: the environment on $PYTHON_EXE, synced to exactly the lock. uv checks every
# download against the lock's sha256 (--require-hashes: a package without one is refused too). The snippet
# runtimes (all but tools) run under PYTHONDONTWRITEBYTECODE (snipcheck.sandbox), so without their bytecode
# every process would compile kfp and its dependencies again: 2 s for `import kfp` instead of 0.5 s. pip
# compiles by itself; the tools environment gets its bytecode as it is used.
_create_with_uv() {
    local compile=(--compile-bytecode)
    [ "$1" != tools ] || compile=()
    "$UV_BIN" venv --quiet --no-python-downloads --python "$PYTHON_EXE" "$2" &&
        "$UV_BIN" pip sync --require-hashes ${compile[@]+"${compile[@]}"} --python "$2/bin/python" "$3"
}

# _create_with_pip NAME DIR LOCK: the same with venv and pip. The bootstrap takes wheels only: uv from its
# source needs a Rust toolchain, and a machine without a wheel is better served by pip itself.
_create_with_pip() {
    local wheels_only=()
    [ "$1" != bootstrap ] || wheels_only=(--only-binary=:all:)
    "$PYTHON_EXE" -m venv --without-pip "$2" &&
        _pip "$2" install --require-hashes ${wheels_only[@]+"${wheels_only[@]}"} -r "$3"
}

# _pip DIR ARGS...: pip acting on the environment DIR. The interpreter's own pip when it can (pip 22.3 and
# newer take --python), which spares the environment a copy of pip and the seconds of ensurepip; else the
# environment's own, added by ensurepip (the copy that comes with Python) when it has none.
_pip() {
    local dir=$1 python=${PYTHON_EXE:-$PYTHON}
    shift
    if "$python" -c 'import sys, pip; sys.exit(tuple(map(int, pip.__version__.split(".")[:2])) < (22, 3))' \
            2>/dev/null; then
        "$python" -m pip --python "$dir/bin/python" --disable-pip-version-check "$@"
    else
        { "$dir/bin/python" -m pip --version >/dev/null 2>&1 || "$dir/bin/python" -m ensurepip; } &&
            "$dir/bin/python" -m pip --disable-pip-version-check "$@"
    fi
}

# _choose_installer: sets UV_BIN to the uv of $VENVS/bootstrap (built first when needed), or to "" for pip.
# Under the lock; decided once per script.
_choose_installer() {
    local want status=0
    [ -z "$_INSTALLER_CHOSEN" ] || return 0
    if [ "$SNIPCHECK_INSTALLER" = pip ]; then _INSTALLER_CHOSEN=pip; return 0; fi
    want=$(_lock_sha bootstrap) || return 1
    _build_venv bootstrap "$want" || status=$?
    if [ "$status" = 3 ]; then
        echo "$SCRIPT: no uv wheel of $(_shown "$REQUIREMENTS/bootstrap.txt") fits this machine;" \
             "installing with pip instead (slower)" >&2
        _INSTALLER_CHOSEN=pip
        return 0
    fi
    [ "$status" = 0 ] || return 1
    UV_BIN="$VENVS/bootstrap/bin/uv"
    _INSTALLER_CHOSEN=uv
}

# _explain_failure INSTALLER LOCK LOG: one line when the lock was refused (a hash that does not match, a
# requirement without one), else the last lines of the installer's output.
_explain_failure() {
    local installer=$1 lock=$2 log=$3 package
    # shellcheck disable=SC2016 # the backticks are uv's quotes in its message, not an expansion
    package=$(sed -n -e 's/.*Hash mismatch for `\([^`]*\)`.*/\1/p' \
                     -e '/DO NOT MATCH THE HASHES/{n;s/^ *\([^ ]*\) from .*/\1/p;}' "$log" | head -n 1)
    if [ -n "$package" ]; then
        echo "$SCRIPT: $(_shown "$lock") refused: the download of $package does not match its sha256 in" \
             "the lock, nothing was installed ($installer's output: $(_shown "$log"))" >&2
    elif grep -q -e "must have a hash" -e "Hashes are required in --require-hashes mode" "$log"; then
        echo "$SCRIPT: $(_shown "$lock") refused: a requirement has no sha256 (regenerate it with" \
             "scripts/lock), nothing was installed ($installer's output: $(_shown "$log"))" >&2
    else
        echo "$SCRIPT: $installer could not install $(_shown "$lock"); the last lines of $(_shown "$log"):" >&2
        tail -n 20 "$log" >&2
    fi
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

# _install_project: --no-build-isolation builds with the locked setuptools of the tools environment, so
# nothing unpinned is downloaded.
_install_project() {
    local dir="$VENVS/tools" stamp="$VENVS/tools/.project-root" log="$VENVS/tools.project.log" installer=pip
    [ "$(cat "$stamp" 2>/dev/null || true)" = "$ROOT" ] && return 0
    _choose_installer || return 1
    [ -z "$UV_BIN" ] || installer=uv
    if ! _install_project_with_$installer "$dir" >"$log" 2>&1; then
        echo "$SCRIPT: $installer could not install the engine (src/snipcheck) into $(_shown "$dir");" \
             "the last lines of $(_shown "$log"):" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    echo "$ROOT" > "$stamp"
}

_install_project_with_uv() {
    "$UV_BIN" pip install --python "$1/bin/python" --no-deps --no-build-isolation --reinstall-package snipcheck \
        --editable "$ROOT"
}

_install_project_with_pip() {
    _pip "$1" install --no-deps --no-build-isolation --editable "$ROOT"
}
