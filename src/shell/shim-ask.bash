# Agent Guard: the part of a shim that asks (the shim itself runs under sh). Arguments: REAL-PATH PROGRAM ARGS…
__ag_real=$1 __ag_prog=$2
shift 2
if [[ -n ${AGENT_GUARD_SHIM_BASH_ENV-} ]]; then export BASH_ENV=$AGENT_GUARD_SHIM_BASH_ENV; else unset BASH_ENV; fi
unset AGENT_GUARD_SHIM_BASH_ENV
. "${BASH_SOURCE[0]%/*}/lib.bash"
# The person's own start-up files run unchecked (their shell has not shown a prompt yet, and clears this variable at
# its first prompt). Tools those files start (pyenv init runs rm) are not the shell itself, so only the variable can
# say so: a script that sets it for its children gets past the shims (a same-user limit; the interactive shells refuse
# lines that set it, and the engine judges the scripts a line runs).
[[ -n ${AGENT_GUARD_STARTING-} ]] && exec "$__ag_real" "$@"
printf -v __ag_cmd '%q ' "$__ag_prog" "$@"
__agent_guard_ask exec "${__ag_cmd% }"
case $__agent_guard_verdict in
  allow) ;;
  deny) printf '\033[31m✖ Agent Guard: %s\033[0m\n' "$__agent_guard_text" >&2 && exit 126 ;;
  *) __agent_guard_unreachable "$__ag_cmd" || exit 126 ;;
esac
exec "$__ag_real" "$@"
