# Agent Guard, shared by the interactive hook, the PATH shims and BASH_ENV: ask the editor whether a command may run.
# The editor answers after a person types the resource's name in VS Code; nothing sent from here can approve.

# __agent_guard_ask KIND COMMAND — sets __agent_guard_verdict (allow|deny|unreachable), _ticket and _text.
__agent_guard_ask() {
  local kind=$1 cmd=$2 cwd=$PWD fd= line
  __agent_guard_verdict=unreachable __agent_guard_ticket=- __agent_guard_text=
  [[ -n ${AGENT_GUARD_PORT-} && -n ${AGENT_GUARD_TOKEN-} ]] || return 0
  { exec {fd}<>"/dev/tcp/127.0.0.1/$AGENT_GUARD_PORT"; } 2>/dev/null || return 0
  local LC_ALL=C
  printf 'AG1 %s %s %s %s %s %s\n%s%s' "$AGENT_GUARD_TOKEN" "$kind" "$$" "${AGENT_GUARD_TICKET:--}" "${#cwd}" "${#cmd}" "$cwd" "$cmd" >&"$fd"
  # Bounded waits: the first answer comes at once from a working gate; once it says a person is deciding, the wait
  # lasts as long as the approval box (plus a margin). A gate that stays silent or streams junk is refused, never
  # waited on forever.
  local bound=${AGENT_GUARD_ANSWER_S:-10} held= left rc
  local deadline=$((SECONDS + bound))
  while :; do
    left=$((deadline - SECONDS)) rc=0
    if ((left > 0)); then IFS= read -r -t "$left" line <&"$fd" || rc=$?; else rc=142; fi
    if ((rc > 128)); then
      __agent_guard_verdict=deny
      __agent_guard_text="no answer from Agent Guard in VS Code within $bound s; refused (a stuck or false gate is never waited on forever)"
    fi
    ((rc == 0)) || break
    case ${line%% *} in
      wait)
        printf '\n\033[33m■ %s\033[0m\n' "${line#wait }" >&2
        [[ -n $held ]] || bound=${AGENT_GUARD_APPROVAL_S:-180} deadline=$((SECONDS + ${AGENT_GUARD_APPROVAL_S:-180}))
        held=1
        ;;
      allow | deny)
        __agent_guard_verdict=${line%% *}
        line=${line#* }
        __agent_guard_ticket=${line%% *}
        __agent_guard_text=${line#* }
        break
        ;;
    esac
  done
  exec {fd}>&-
}

# __agent_guard_unreachable COMMAND — returns 0 when the command may run anyway (development), 1 when it is held.
__agent_guard_unreachable() {
  if [[ ${AGENT_GUARD_UNREACHABLE-hold} == warn ]]; then
    printf '\033[33m⚠ Agent Guard is not reachable from this terminal; running unchecked (%s workspace).\033[0m\n' "${AGENT_GUARD_TIER-unknown}" >&2
    return 0
  fi
  printf '\033[31m✖ Agent Guard is not reachable from this terminal, so the command is held (%s workspace). Open a new terminal in VS Code.\033[0m\n' "${AGENT_GUARD_TIER-unknown}" >&2
  return 1
}

# __agent_guard_sync — reads the editor's mode and word lists when they change (one builtin read per line).
__agent_guard_sync() {
  local v m ask guarded w
  if ! { IFS= read -r v && IFS= read -r m && IFS= read -r ask && IFS= read -r guarded; } <"$AGENT_GUARD_DIR/prefilter" 2>/dev/null; then
    __agent_guard_mode=all
    return 0
  fi
  [[ $v == "${__agent_guard_version-}" ]] && return 0
  __agent_guard_version=$v __agent_guard_mode=$m
  declare -gA __agent_guard_ask_words=() __agent_guard_guarded_words=()
  for w in $ask; do __agent_guard_ask_words[$w]=1; done
  for w in $guarded; do __agent_guard_guarded_words[$w]=1; done
}

# __agent_guard_has_word TABLE LINE — true when a word of LINE (quotes removed, path and version stripped) is in TABLE.
__agent_guard_has_word() {
  local -n __agent_guard_table=$1
  local bare=${2//[\'\"\\]/} w
  bare=${bare//[;&|()<>\{\}!=]/ }
  local -
  set -f
  for w in $bare; do
    w=${w##*/}
    [[ -n $w && -n ${__agent_guard_table[$w]-} ]] && return 0
    w=${w%%[0-9.]*}
    [[ -n $w && -n ${__agent_guard_table[$w]-} ]] && return 0
  done
  return 1
}

# __agent_guard_relevant LINE — true when the line must be asked about; false only for lines that name nothing guarded.
__agent_guard_relevant() {
  __agent_guard_sync
  [[ $__agent_guard_mode == normal ]] || return 0
  case $1 in
    *[\$\`]* | */dev/* | *AGENT_GUARD* | *PATH=* | *BASH_ENV* | *PROMPT_COMMAND* | *ZDOTDIR* | *.vscode/* | *.github/hooks* | *.claude/* | *.cursor/* | *.codex/* | *.gemini/* | *.copilot/* | *.qwen/* | *User/settings* | *User/keybindings* | *User/profiles/* | *Machine/settings* | *.code-workspace* | *agent-guard*) return 0 ;;
  esac
  __agent_guard_has_word __agent_guard_ask_words "$1"
}

# __agent_guard_names_guarded TEXT — true when TEXT names a guarded program (not merely an expansion).
__agent_guard_names_guarded() {
  __agent_guard_sync
  __agent_guard_has_word __agent_guard_guarded_words "$1"
}

# __agent_guard_parent_is_starting_shell — true while an interactive shell's start-up files run (pyenv, nvm, rc
# scripts): the terminal sets AGENT_GUARD_STARTING and the interactive hook clears it at the first prompt.
__agent_guard_parent_is_starting_shell() {
  [[ -n ${AGENT_GUARD_STARTING-} ]] || return 1
  local args
  if [[ -r /proc/$PPID/cmdline ]]; then
    args=$(tr '\0' ' ' </proc/$PPID/cmdline 2>/dev/null)
  else
    args=$(ps -o args= -p "$PPID" 2>/dev/null)
  fi
  local prog=${args%% *}
  prog=${prog##*/}
  prog=${prog#-}
  [[ $prog == bash || $prog == zsh || $prog == sh ]] && [[ " $args " != *" -c "* && " $args " != *" -"[a-zA-Z]*c" "* ]]
}
