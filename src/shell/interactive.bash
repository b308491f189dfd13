# Agent Guard for interactive bash: checks the whole line when Enter is pressed, before bash runs any of it.
# Loaded once through PROMPT_COMMAND (after VS Code's shell integration); quick and quiet for unguarded commands.
[[ $- == *i* && -n ${AGENT_GUARD_DIR-} ]] || return 0
[[ -n ${__agent_guard_loaded-} ]] && return 0
__agent_guard_loaded=1
. "$AGENT_GUARD_DIR/lib.bash" || return 0
# Start-up is over: from here on, everything this shell runs is checked.
unset AGENT_GUARD_STARTING

__agent_guard_line() {
  local line=$READLINE_LINE
  [[ -z ${line//[[:space:]]/} ]] && return 0
  if ! __agent_guard_relevant "$line"; then
    export AGENT_GUARD_LINE_OK=$$
    return 0
  fi
  __agent_guard_ask line "$line"
  case $__agent_guard_verdict in
    allow)
      # The line's own programs (their parent is this shell) were just checked: their shims need not ask again.
      export AGENT_GUARD_LINE_OK=$$
      if [[ $__agent_guard_ticket != - ]]; then
        export AGENT_GUARD_TICKET=$__agent_guard_ticket
        printf '\033[32m✔ Agent Guard: %s\033[0m\n' "$__agent_guard_text" >&2
      fi
      return 0
      ;;
    deny) printf '\033[31m✖ Agent Guard: %s\033[0m\n' "$__agent_guard_text" >&2 ;;
    *) __agent_guard_unreachable "$line" && return 0 ;;
  esac
  # Not put in history: VS Code's shell integration reads `history 1` to report what ran.
  READLINE_LINE='' READLINE_POINT=0
}

# The line gate checks what this shell runs directly, so its own lookups may skip the shims (one process less per
# command); bash's hash table is not inherited, so scripts and other programs still go through them.
__agent_guard_hash_real() {
  [[ $PATH == "${__agent_guard_hashed_path-}" ]] && return 0
  __agent_guard_hashed_path=$PATH
  local bin=$AGENT_GUARD_DIR/bin name d
  local -a dirs
  IFS=: read -ra dirs <<<"$PATH"
  for name in "$bin"/*; do
    name=${name##*/}
    for d in "${dirs[@]}"; do
      [[ -z $d || $d == "$bin" ]] && continue
      if [[ -x $d/$name && ! -d $d/$name ]]; then
        hash -p "$d/$name" "$name"
        break
      fi
    done
  done
}

__agent_guard_prompt() {
  unset AGENT_GUARD_TICKET AGENT_GUARD_LINE_OK
  __agent_guard_hash_real
}

# VS Code's shell integration reports a command as started from its DEBUG trap, which also fires for the gate's own
# key binding; the report would then carry the previous line. Its preexec functions skip the gate's call.
for __agent_guard_fn in __vsc_preexec_only __vsc_preexec_all; do
  if declare -F "$__agent_guard_fn" >/dev/null; then
    eval "__agent_guard_orig_$(declare -f "$__agent_guard_fn")"
    eval "$__agent_guard_fn() { [[ \$BASH_COMMAND == __agent_guard_line* ]] && return 0; __agent_guard_orig_$__agent_guard_fn \"\$@\"; }"
  fi
done
unset __agent_guard_fn

# Enter (and every other key that runs the line) first calls the gate, then accepts what is left of the line.
for __agent_guard_map in emacs vi-insert vi-command; do
  bind -m "$__agent_guard_map" -x '"\e[9001~": __agent_guard_line'
  bind -m "$__agent_guard_map" '"\e[9002~": accept-line'
  for __agent_guard_key in '\C-m' '\C-j' '\C-o'; do
    bind -m "$__agent_guard_map" "\"$__agent_guard_key\": \"\e[9001~\e[9002~\""
  done
done
unset __agent_guard_map __agent_guard_key
readonly -f __agent_guard_line __agent_guard_ask __agent_guard_unreachable __agent_guard_sync __agent_guard_relevant __agent_guard_has_word __agent_guard_names_guarded __agent_guard_prompt __agent_guard_hash_real
