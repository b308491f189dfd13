# Agent Guard for non-interactive bash (tasks, `bash -c`): BASH_ENV points here, so it runs before the -c string.
# Only the outermost non-interactive bash checks its string; the programs its scripts start are covered by the PATH
# shims, so tools that run bash internally (pyenv, nvm, build scripts) are not asked about their own plumbing.
# Functions this bash imported from its environment (`export -f read` in a parent) could stand in for the builtins
# below, `.` included: POSIX mode (an assignment) makes `.` and `unset` the special builtins, and lib.bash's
# __agent_guard_own removes such functions and turns POSIX mode off again; once more before the question, after the
# person's own BASH_ENV has run.
# (A nested bash checks nothing: it only runs the person's BASH_ENV.)
if [[ -z ${AGENT_GUARD_NESTED-} && -r ${BASH_SOURCE[0]%/*}/lib.bash ]]; then
  [[ -o posix ]] || { POSIXLY_CORRECT=y; __agent_guard_posix_set=1; }
  . "${BASH_SOURCE[0]%/*}/lib.bash"
  __agent_guard_own
fi
if [[ -n ${AGENT_GUARD_USER_BASH_ENV-} && -r $AGENT_GUARD_USER_BASH_ENV ]]; then . "$AGENT_GUARD_USER_BASH_ENV"; fi
if [[ -z ${AGENT_GUARD_NESTED-} && ! -r ${BASH_SOURCE[0]%/*}/lib.bash && -n ${BASH_EXECUTION_STRING-} ]]; then
  # The gate's own files are gone or unreadable (moved, deleted, made unreadable): nothing here can check the
  # command, so it is refused rather than run unchecked.
  printf '\033[31m✖ Agent Guard: its shell files in %s are missing or unreadable, so this command is refused. Open a new terminal in VS Code.\033[0m\n' "${BASH_SOURCE[0]%/*}" >&2
  exit 126
fi
if [[ -z ${AGENT_GUARD_NESTED-} && -r ${BASH_SOURCE[0]%/*}/lib.bash ]]; then
  export AGENT_GUARD_NESTED=1
  if ! __agent_guard_own; then
    printf '\033[31m✖ Agent Guard: a function may stand in for a shell builtin the gate runs, and it cannot be removed (POSIXLY_CORRECT is read-only); refused.\033[0m\n' >&2
    exit 126
  fi
  # The person's own start-up files (their shell has not shown a prompt yet) run unchecked. Anything else is checked,
  # also a `bash -c` the line just checked: a checked line does not vouch for what its programs start later.
  if __agent_guard_parent_is_starting_shell; then
    BASH_EXECUTION_STRING=
  else
    unset AGENT_GUARD_STARTING
  fi
  if [[ -n ${BASH_EXECUTION_STRING-} ]]; then
    # A locale whose characters may end in an ASCII byte (BIG5, GBK, Shift_JIS: \xa4\x5c is one character ending in
    # a backslash) splits a string holding such characters otherwise than the gate, which reads UTF-8: `echo "<it>";
    # /bin/rm -rf data; echo "<it>"` was one echo to the gate. Such a string is refused, with the reason.
    if __agent_guard_unsplittable "$BASH_EXECUTION_STRING"; then
      printf '\033[31m✖ Agent Guard: %s; refused.\033[0m\n' "$__agent_guard_why" >&2
      exit 126
    fi
    if __agent_guard_relevant "$BASH_EXECUTION_STRING"; then
      __agent_guard_ask task "$BASH_EXECUTION_STRING"
      case $__agent_guard_verdict in
        allow) [[ $__agent_guard_ticket != - ]] && export AGENT_GUARD_TICKET=$__agent_guard_ticket ;;
        deny) printf '\033[31m✖ Agent Guard: %s\033[0m\n' "$__agent_guard_text" >&2 && exit 126 ;;
        # Unreachable: hold what names a guarded program; plumbing from start-up files (pyenv, nvm) still runs.
        *) __agent_guard_names_guarded "$BASH_EXECUTION_STRING" && { __agent_guard_unreachable "$BASH_EXECUTION_STRING" || exit 126; } ;;
      esac
    fi
  fi
fi
