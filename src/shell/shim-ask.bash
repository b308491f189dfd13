# Agent Guard: the part of a shim that asks (the shim itself runs under sh). Arguments: REAL-PATH PROGRAM ARGS…
__ag_real=$1 __ag_prog=$2
shift 2
. "$AGENT_GUARD_DIR/lib.bash"
printf -v __ag_cmd '%q ' "$__ag_prog" "$@"
__agent_guard_ask exec "${__ag_cmd% }"
case $__agent_guard_verdict in
  allow) ;;
  deny) printf '\033[31m✖ Agent Guard: %s\033[0m\n' "$__agent_guard_text" >&2 && exit 126 ;;
  *) __agent_guard_unreachable "$__ag_cmd" || exit 126 ;;
esac
exec "$__ag_real" "$@"
