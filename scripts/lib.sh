# Shared by the scripts in this folder (sourced, never run): progress lines that say what
# each step does and how long it took, and a hint to act on when a step fails.

# Tools that `cargo install` puts here must be found even in a fresh shell.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

now_ms() { date +%s%3N; }

# Seconds since a now_ms reading, to the tenth: "4.2 s".
since() {
    local ms=$(($(now_ms) - $1))
    printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}

# step LABEL HINT COMMAND [ARGS...]
# Runs one command, announcing it and timing it; on failure prints the hint and exits with
# the command's status. Pass one command, not a shell function: bash ignores `set -e`
# inside a function called as an `if` condition, so a failure in its middle would be lost.
step() {
    local label=$1 hint=$2 t
    shift 2
    t=$(now_ms)
    echo "==> $label"
    if "$@"; then
        echo "    $label: done in $(since "$t")"
    else
        local rc=$?
        echo "!!! $label: FAILED (exit $rc) after $(since "$t")" >&2
        echo "    $hint" >&2
        exit "$rc"
    fi
}

# skip LABEL WHY: a step that has nothing to do.
skip() { echo "==> $1: already done ($2)"; }

# die MESSAGE: stop with an actionable message.
die() {
    echo "!!! $*" >&2
    exit 1
}
