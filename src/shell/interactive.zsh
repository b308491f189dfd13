# Agent Guard for interactive zsh: wraps the widgets that run the line, so the whole line is checked first.
[[ -o interactive && -n ${AGENT_GUARD_DIR-} ]] || return 0
(( ${+__agent_guard_loaded} )) && return 0
typeset -g __agent_guard_loaded=1 __agent_guard_version= __agent_guard_mode=all __agent_guard_re=
# Start-up is over: from here on, everything this shell runs is checked.
unset AGENT_GUARD_STARTING
zmodload zsh/net/tcp 2>/dev/null || true
zmodload zsh/system 2>/dev/null || true

__agent_guard_ask() {
  emulate -L zsh
  local kind=$1 cmd=$2 cwd=$PWD fd line ncwd ncmd
  typeset -g __agent_guard_verdict=unreachable __agent_guard_ticket=- __agent_guard_text=
  [[ -n ${AGENT_GUARD_PORT-} && -n ${AGENT_GUARD_TOKEN-} ]] || return 0
  ztcp 127.0.0.1 $AGENT_GUARD_PORT 2>/dev/null || return 0
  fd=$REPLY
  () { setopt localoptions nomultibyte; ncwd=${#cwd}; ncmd=${#cmd} }
  print -rn -u $fd -- "AG1 $AGENT_GUARD_TOKEN $kind $$ ${AGENT_GUARD_TICKET:--} $ncwd $ncmd"$'\n'"$cwd$cmd"
  # Bounded waits, as in lib.bash: a gate that stays silent or streams junk is refused, never waited on forever.
  # sysread, not read -t: zsh's read only times out before the first byte, so a line that never ends would hang it.
  local bound=${AGENT_GUARD_ANSWER_S:-10} held= buf= chunk left rc answered=
  local deadline=$(( SECONDS + bound ))
  while [[ -z $answered ]]; do
    while [[ -z $answered && $buf == *$'\n'* ]]; do
      line=${buf%%$'\n'*} buf=${buf#*$'\n'}
      case ${line%% *} in
        wait)
          print -u2 -- $'\n\e[33m■ '"${line#wait }"$'\e[0m'
          [[ -n $held ]] || { bound=${AGENT_GUARD_APPROVAL_S:-180}; deadline=$(( SECONDS + bound )) }
          held=1 ;;
        allow|deny)
          __agent_guard_verdict=${line%% *}
          line=${line#* }
          __agent_guard_ticket=${line%% *}
          __agent_guard_text=${line#* }
          answered=1 ;;
      esac
    done
    [[ -z $answered ]] || break
    left=$(( deadline - SECONDS ))
    rc=4
    (( left > 0 && ${#buf} < 65536 )) && { sysread -t $left -i $fd chunk; rc=$? }
    case $rc in
      0) buf+=$chunk ;;
      4) __agent_guard_verdict=deny
         __agent_guard_text="no answer from Agent Guard in VS Code within $bound s; refused (a stuck or false gate is never waited on forever)"
         break ;;
      *) break ;;
    esac
  done
  ztcp -c $fd 2>/dev/null
}

__agent_guard_unreachable() {
  if [[ ${AGENT_GUARD_UNREACHABLE-hold} == warn ]]; then
    print -u2 -- $'\e[33m⚠ Agent Guard is not reachable from this terminal; running unchecked ('"${AGENT_GUARD_TIER-unknown}"$' workspace).\e[0m'
    return 0
  fi
  print -u2 -- $'\e[31m✖ Agent Guard is not reachable from this terminal, so the command is held ('"${AGENT_GUARD_TIER-unknown}"$' workspace). Open a new terminal in VS Code.\e[0m'
  return 1
}

__agent_guard_relevant() {
  emulate -L zsh
  local v m ask guarded w
  if { IFS= read -r v && IFS= read -r m && IFS= read -r ask && IFS= read -r guarded } <"$AGENT_GUARD_DIR/prefilter" 2>/dev/null; then
    if [[ $v != $__agent_guard_version ]]; then
      typeset -g __agent_guard_version=$v __agent_guard_mode=$m
      typeset -gA __agent_guard_ask_words
      __agent_guard_ask_words=()
      for w in ${=ask}; do __agent_guard_ask_words[$w]=1; done
    fi
  else
    typeset -g __agent_guard_mode=all
  fi
  [[ $__agent_guard_mode == normal ]] || return 0
  case $1 in
    (*[\$\`]*|*/dev/*|*AGENT_GUARD*|*PATH=*|*BASH_ENV*|*PROMPT_COMMAND*|*ZDOTDIR*|*.vscode/*|*.github/hooks*|*.claude/*|*.cursor/*|*.codex/*|*.gemini/*|*.copilot/*|*.qwen/*|*User/settings*|*User/keybindings*|*User/profiles/*|*Machine/settings*|*.code-workspace*|*agent-guard*) return 0 ;;
  esac
  local bare=${1//[\'\"\\]/}
  bare=${bare//[;&|()<>\{\}!=]/ }
  for w in ${=bare}; do
    w=${w##*/}
    [[ -n $w && -n ${__agent_guard_ask_words[$w]-} ]] && return 0
    w=${w%%[0-9.]*}
    [[ -n $w && -n ${__agent_guard_ask_words[$w]-} ]] && return 0
  done
  return 1
}

# $1: the builtin widget to run when the line may go ahead.
__agent_guard_gate() {
  local line=$BUFFER
  # The line's own programs (their parent is this shell) are checked here as a whole: their shims need not ask again.
  export AGENT_GUARD_LINE_OK=$$
  if [[ -n ${line//[[:space:]]/} ]] && __agent_guard_relevant "$line"; then
    zle -I
    __agent_guard_ask line "$line"
    case $__agent_guard_verdict in
      allow)
        if [[ $__agent_guard_ticket != - ]]; then
          export AGENT_GUARD_TICKET=$__agent_guard_ticket
          print -u2 -- $'\e[32m✔ Agent Guard: '"$__agent_guard_text"$'\e[0m'
        fi ;;
      deny)
        print -u2 -- $'\e[31m✖ Agent Guard: '"$__agent_guard_text"$'\e[0m'
        unset AGENT_GUARD_LINE_OK
        BUFFER='' ;;
      *)
        __agent_guard_unreachable "$line" || { unset AGENT_GUARD_LINE_OK; BUFFER=''; } ;;
    esac
  fi
  zle ".$1"
}
__agent_guard_accept_line() { __agent_guard_gate accept-line }
__agent_guard_accept_and_hold() { __agent_guard_gate accept-and-hold }
__agent_guard_accept_down() { __agent_guard_gate accept-line-and-down-history }
__agent_guard_accept_infer() { __agent_guard_gate accept-and-infer-next-history }
zle -N accept-line __agent_guard_accept_line
zle -N accept-and-hold __agent_guard_accept_and_hold
zle -N accept-line-and-down-history __agent_guard_accept_down
zle -N accept-and-infer-next-history __agent_guard_accept_infer

# The line gate checks what this shell runs directly, so its own lookups may skip the shims (one process less per
# command); the hash table is not inherited, so scripts and other programs still go through them.
__agent_guard_hash_real() {
  emulate -L zsh
  [[ $PATH == ${__agent_guard_hashed_path-} ]] && return 0
  typeset -g __agent_guard_hashed_path=$PATH
  local bin=$AGENT_GUARD_DIR/bin name d
  for name in $bin/*(N:t); do
    for d in $path; do
      [[ -z $d || $d == $bin ]] && continue
      if [[ -x $d/$name && ! -d $d/$name ]]; then
        hash $name=$d/$name
        break
      fi
    done
  done
}

__agent_guard_precmd() {
  unset AGENT_GUARD_TICKET AGENT_GUARD_LINE_OK
  __agent_guard_hash_real
}
typeset -ga precmd_functions
precmd_functions+=(__agent_guard_precmd)
