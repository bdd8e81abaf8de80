# Sourced by the set-up scripts: run a long step with a progress line at least every 20 s.
#   with_progress LABEL COMMAND...
# The command's output goes to a log under .tools/logs/; every 20 s one line says how long it has
# run, how many lines of output it wrote and its latest one (for `go build -v` the package it is
# compiling), so a cold set-up never sits silent for minutes. On failure the log's tail is printed.
with_progress() {
  local label=$1
  shift
  mkdir -p .tools/logs
  local log
  log=.tools/logs/$(printf '%s' "$label" | tr -c 'a-zA-Z0-9' '-' | cut -c1-40).log
  local start=$SECONDS
  "$@" >"$log" 2>&1 &
  local pid=$! elapsed last n
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 20); do
      sleep 1
      kill -0 "$pid" 2>/dev/null || break 2
    done
    elapsed=$((SECONDS - start))
    n=$(wc -l <"$log" | tr -d ' ')
    last=$(tail -n 1 "$log" | cut -c1-100)
    printf '  … %s: %dm%02ds, %s lines of output%s\n' "$label" $((elapsed / 60)) $((elapsed % 60)) "$n" "${last:+, latest: $last}"
  done
  if wait "$pid"; then
    printf '  … %s: done in %dm%02ds (log: %s)\n' "$label" $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)) "$log"
    return 0
  else
    local code=$?
    echo "  … $label failed (exit $code); the end of $log:" >&2
    tail -n 20 "$log" >&2
    return "$code"
  fi
}
