# Agent Guard for interactive bash: checks the whole line when Enter is pressed, before bash runs any of it.
# Loaded once through PROMPT_COMMAND (after VS Code's shell integration); quick and quiet for unguarded commands.
[[ $- == *i* && -n ${AGENT_GUARD_DIR-} ]] || return 0
# Loaded in this shell: read-only and not exported. A parent that exported its own (a read-only variable can still be
# exported, under a spelling the line check cannot see) must not keep the gate out of a child shell.
[[ ${__agent_guard_loaded@a} == r ]] && return 0
# The prompt hook turned POSIX mode on to load this file (see __agent_guard_own): `.` and `unset` are then the special
# builtins whatever functions have their names, and __agent_guard_posix_set says how to leave it. Variables named like the gate's that came from the environment are a
# parent's, not this shell's: gone before anything reads them.
# (__agent_guard_posix_set is the hook's own, exported only as an assignment before `.` is.)
for __agent_guard_v in ${!__agent_guard_@}; do
  [[ $__agent_guard_v != __agent_guard_posix_set && ${!__agent_guard_v@a} == *x* ]] && unset -v "$__agent_guard_v"
done
unset -v __agent_guard_v
__agent_guard_loaded=1
. "$AGENT_GUARD_DIR/lib.bash" || return 0
__agent_guard_own || return 0
# Start-up is over: from here on, everything this shell runs is checked.
unset AGENT_GUARD_STARTING AGENT_GUARD_LINE_OK
# The lines typed so far of a command bash has not finished reading (a backslash, a heredoc, an open `if`).
__agent_guard_pending= __agent_guard_marker=
# Whether this terminal has the shims (a setting can leave them out): only then does PATH get them back.
case ":$PATH:" in *":$__agent_guard_home/bin:"*) __agent_guard_shims=1 ;; *) __agent_guard_shims= ;; esac

# __agent_guard_tampers LINE — sets __agent_guard_why, and is true, when a line typed at the prompt would change the gate itself:
# its functions, key bindings, variables, or a PATH without the shim folder. Checked in the shell, before the editor.
__agent_guard_tampers() {
  local line=$1 rest m
  case $line in
    *agent_guard* | *AGENT_GUARD_* | *BASH_ENV* | *INPUTRC* | *ZDOTDIR* | *PATH* | *path* | *bind* | *zle* | *ZLE* | *enable* | *disable* | *unfunction* | *functions* | *preexec* | *precmd* | *zshaddhistory* | *complete* | *compdef* | *widget* | *declare* | *typeset*) ;;
    *) return 1 ;;
  esac
  if [[ $line == *agent_guard* ]]; then
    __agent_guard_why="it names the gate's own functions"
    return 0
  fi
  # Reading them is fine ($AGENT_GUARD_DIR); naming them any other way (read, printf -v, for, let, declare) is not.
  rest=${line//\$\{AGENT_GUARD_/}
  rest=${rest//\$AGENT_GUARD_/}
  rest=${rest//\$\{BASH_ENV/}
  rest=${rest//\$BASH_ENV/}
  if [[ $rest =~ (AGENT_GUARD_[A-Z_]+|BASH_ENV|INPUTRC|ZDOTDIR) ]]; then
    __agent_guard_why="it changes the gate's variable ${BASH_REMATCH[1]}"
    return 0
  fi
  if [[ $line =~ (^|[\;\&\|\({\`]|builtin|command|eval|then|do|else)[[:space:]\\\'\"]*(bindkey|bind|zle|unfunction|enable|disable)([[:space:]\'\"]|$) ]]; then
    m=${BASH_REMATCH[2]}
    # Listing is fine; binding, defining widgets, turning builtins off is not. `bindkey -v`/`-e` only picks a keymap.
    if ! [[ $line =~ ^[[:space:]]*(bind[[:space:]]+-[pPsSvVlX]+|bindkey([[:space:]]+-[evlL])?|bindkey[[:space:]]+-M[[:space:]]+[a-z]+[[:space:]]+-L|zle[[:space:]]+-l[a-zL]*)[[:space:]]*$ ]]; then
      __agent_guard_why="it changes key bindings or shell builtins ($m)"
      return 0
    fi
  fi
  if [[ $line =~ (^|[^A-Za-z0-9_$])(functions[[:space:]]+-c|zle-line-init|zle-line-finish|zle-keymap-select|precmd_functions|preexec_functions|zshaddhistory|complete[[:space:]]+-[A-Za-z]*[CF]|compdef)([^A-Za-z0-9_]|$) ]]; then
    __agent_guard_why="it changes the shell's hooks or widgets (${BASH_REMATCH[2]})"
    return 0
  fi
  # The trace attribute (`declare -ft NAME`) has DEBUG and RETURN traps run inside a function: inside the gate's own,
  # a trap could define a function standing in for a builtin between two of its commands.
  if [[ $line =~ (^|[^A-Za-z0-9_])(declare|typeset)[[:space:]]+([^\;\&\|]*[[:space:]])?[-+][A-Za-z]*t ]]; then
    __agent_guard_why="it gives functions the trace attribute (traps would run inside the gate's own code)"
    return 0
  fi
  if [[ $line =~ (^|[^A-Za-z0-9_])(no_?zle|zle)([^A-Za-z0-9_]|$) && $line =~ (setopt|unsetopt|set[[:space:]]+[-+]o|emulate) ]]; then
    __agent_guard_why="it turns off the line editor the gate lives in"
    return 0
  fi
  __agent_guard_path_change "$line" && return 0
  return 1
}

# __agent_guard_path_change LINE — true (and sets __agent_guard_why) when the line sets PATH (or zsh's path) to something that does
# not keep the current value whole: `PATH=/usr/bin`, `PATH=${PATH#*:}`, `read PATH`, `for PATH in`, `path=(…)`.
__agent_guard_path_change() {
  local line=$1 w
  local -
  set -f
  [[ $line =~ (^|[^A-Za-z0-9_$\{])(PATH|path)([^A-Za-z0-9_]|$) ]] || return 1
  for w in ${line//[;&|()<>\`]/ }; do
    w=${w//[\'\"]/}
    case $w in
      PATH=* | PATH+=* | path=* | path+=* | path\[*)
        case $w in
          PATH+=:* | path+=*) ;;
          PATH=*'$PATH' | PATH=*'$PATH:'* | PATH=*'${PATH}' | PATH=*'${PATH}:'* | path=*'$path'*) ;;
          path=)
            # zsh's array form keeps the folder only when the new list includes the old one: path=(~/bin $path).
            [[ $line =~ (^|[^A-Za-z0-9_])path=\(([^\)]*)\) && ${BASH_REMATCH[2]} =~ \$(path|\{path\})([^A-Za-z0-9_\[]|$) ]] && continue
            __agent_guard_why="it changes PATH and may drop the guard folder"
            return 0
            ;;
          *) __agent_guard_why="it changes PATH and may drop the guard folder"; return 0 ;;
        esac
        ;;
      PATH | path)
        # Named without `$` by something that assigns it: read, printf -v, for, let, declare, unset, shift, mapfile…
        if [[ $line =~ (^|[\;\&\|\({[:space:]])(read|printf|print|for|let|declare|typeset|local|readonly|unset|shift|mapfile|readarray|getopts|vared|select|integer|float|set)[[:space:]] ]]; then
          __agent_guard_why="it changes PATH and may drop the guard folder"
          return 0
        fi
        ;;
    esac
  done
  return 1
}

# __agent_guard_show VERDICT TEXT LINE — the command stays on screen, with what was decided and why under it.
__agent_guard_show() {
  local shown=$3
  ((${#shown} > 300)) && shown="${shown:0:300}…"
  shown=${shown//$'\n'/$'\n  '}
  printf '\n\033[31m✖ %s: %s\033[0m\n\033[31m  %s\033[0m\n' "$1" "$shown" "$2" >&2
}

# Runs on every Enter, before bash reads the line. The words are split on the shell's own IFS value, never the
# person's (a line that set IFS=q would otherwise hide `rm -rf data` as one word).
# bash copies a function's whole body each time it runs it, and after the previous command's fork each page the copy
# (or a variable lookup) writes costs a page fault: so this function is short, and answers the common line itself.
# A line of lower-case words, digits, `-` and `_` only, naming none of the words the checks look for, typed away from
# the gate's folder, with the editor's lists current and in normal mode (__agent_guard_marker, set by
# __agent_guard_sync) and no word worth asking about, is one that __agent_guard_check would let through: it runs. Every
# other line goes through __agent_guard_check; a plain line with such a word is asked about at once. The second test
# proves the first: no upper-case letter, blank or punctuation falls in that class unless nocasematch is on or the
# locale's ranges are not ASCII, and then every line takes the full path.
__agent_guard_line() {
  if ! __agent_guard_own; then
    __agent_guard_unowned
  else
    local IFS=$' \t\n' w=
    # Continuation lines: what bash will run is everything typed since the prompt, checked as one command.
    __agent_guard_pending=${__agent_guard_pending:+$__agent_guard_pending$'\n'}$READLINE_LINE
    if [[ -z ${histchars-} && $__agent_guard_pending != *[!a-z0-9\ _-]* && $'ABCDEFGHIJKLMNOPQRSTUVWXYZ\t\n!"#$%&\'()*+,./:;<=>?@[\\]^`{|}~' != *[a-z0-9\ _-]* && -e $__agent_guard_marker && $PWD/ != "$__agent_guard_home"/* && $__agent_guard_home != "${PWD%/}"/* ]]; then
      case $__agent_guard_pending in
        *agent?guard* | *path* | *bind* | *zle* | *enable* | *disable* | *unfunction* | *functions* | *preexec* | *precmd* | *zshaddhistory* | *complete* | *compdef* | *widget* | *which* | *command*) ;;
        *)
          for w in $__agent_guard_pending; do
            [[ -n ${__agent_guard_ask_words[$w]-} ]] && break
            w=${w%%[0123456789]*}
            [[ -n $w && -n ${__agent_guard_ask_words[$w]-} ]] && break
            w=
          done
          [[ -z $w ]] && return 0
          # A word worth asking about: __agent_guard_check would find none of its own words and ask, so ask now.
          __agent_guard_decide "$__agent_guard_pending"
          return 0
          ;;
      esac
    fi
    __agent_guard_check
  fi
}

# The whole check of the line typed since the prompt: the gate's own functions and variables, then what the
# prefilter sends to the editor.
__agent_guard_check() {
  local IFS=$' \t\n' full=$__agent_guard_pending
  [[ $full == *[![:space:]]* ]] || return 0
  # History characters other than `!^` (histchars=zq) make bash expand a line into another after it was checked:
  # `qlsqrm -rf` runs `rm -rf data`. However they were set, no line runs until they are back or expansion is off.
  if [[ $- == *H* && -n ${histchars-} && ${histchars:0:2} != '!^' ]]; then
    __agent_guard_show 'refused by Agent Guard' "guard.shell-tamper: history expansion uses the characters '${histchars:0:2}', so bash would run another command than the one checked; unset histchars (or set +H) first" "$full"
    __agent_guard_drop
    return 0
  fi
  # In a locale whose characters may end in an ASCII byte (see lib.bash), a line holding such characters is split by
  # bash otherwise than by the gate: `echo "<\xa4\x5c>"; rm -rf data; echo "<\xa4\x5c>"` is one echo in UTF-8.
  if __agent_guard_unsplittable "$full"; then
    __agent_guard_show 'refused by Agent Guard' "$__agent_guard_why" "$full"
    __agent_guard_drop
    return 0
  fi
  # The words __agent_guard_tampers looks for, checked here first: most lines name none of them.
  case $full in
    *agent_guard* | *AGENT_GUARD_* | *BASH_ENV* | *INPUTRC* | *ZDOTDIR* | *PATH* | *path* | *bind* | *zle* | *ZLE* | *enable* | *disable* | *unfunction* | *functions* | *preexec* | *precmd* | *zshaddhistory* | *complete* | *compdef* | *widget* | *declare* | *typeset*)
      if __agent_guard_tampers "$full"; then
        __agent_guard_show 'refused by Agent Guard' "guard.shell-tamper: $__agent_guard_why" "$full"
        __agent_guard_drop
        return 0
      fi
      ;;
  esac
  __agent_guard_relevant "$full" || return 0
  __agent_guard_decide "$full"
}

# __agent_guard_decide LINE — asks the editor about the line, and runs or drops it by the answer.
__agent_guard_decide() {
  __agent_guard_ask line "$1"
  __agent_guard_act "$1"
}

# __agent_guard_act LINE — runs or drops the line by the answer __agent_guard_ask (or _answer) left.
__agent_guard_act() {
  local full=$1
  case $__agent_guard_verdict in
    allow)
      if [[ $__agent_guard_ticket != - ]]; then
        export AGENT_GUARD_TICKET=$__agent_guard_ticket
        printf '\033[32m✔ Agent Guard: %s\033[0m\n' "$__agent_guard_text" >&2
      fi
      return 0
      ;;
    deny) __agent_guard_show 'Agent Guard' "$__agent_guard_text" "$full" ;;
    *)
      __agent_guard_unreachable "$full" && return 0
      __agent_guard_show 'held' "Agent Guard is not reachable${__agent_guard_text:+ ($__agent_guard_text)}" "$full"
      ;;
  esac
  __agent_guard_drop
}

# __agent_guard_own failed (POSIXLY_CORRECT made read-only, or `unset` turned off, and maybe a function standing in
# for a builtin): the line is refused. The line is emptied last, and nothing runs after it: a function named like
# `return` could set it again.
__agent_guard_unowned() {
  __agent_guard_show 'refused by Agent Guard' "guard.shell-tamper: a function may stand in for a shell builtin the gate runs, and it cannot be removed (POSIXLY_CORRECT is read-only, or the builtin unset is turned off); open a new terminal" "$__agent_guard_pending$READLINE_LINE"
  __agent_guard_pending='' READLINE_LINE='' READLINE_POINT=0
}

# Nothing of a held command runs: the line is emptied, and a command still being read (continuation) is abandoned.
# Not put in history: VS Code's shell integration reads `history 1` to report what ran.
__agent_guard_drop() {
  READLINE_LINE='' READLINE_POINT=0
  if [[ $__agent_guard_pending == *$'\n'* ]]; then
    __agent_guard_pending=
    kill -INT $$
  fi
  __agent_guard_pending=
}

# C-x C-e and vi's `v`: edit the line in the editor, then put it back on the line (Enter then checks and runs it).
__agent_guard_edit() {
  if ! __agent_guard_own; then
    __agent_guard_unowned
  else
    local f
    f=$(mktemp "${TMPDIR:-/tmp}/agent-guard-line.XXXXXX.sh") || return 0
    printf '%s\n' "$READLINE_LINE" >"$f"
    "${VISUAL:-${EDITOR:-vi}}" "$f" </dev/tty >/dev/tty
    READLINE_LINE=$(<"$f")
    READLINE_POINT=${#READLINE_LINE}
    command rm -f -- "$f"
  fi
}

# The line gate checks what this shell runs directly, so its own lookups may skip the shims (one process less per
# command); bash's hash table is not inherited, so scripts and other programs still go through them.
__agent_guard_hash_real() {
  [[ $PATH == "${__agent_guard_hashed_path-}" ]] && return 0
  local bin=$__agent_guard_home/bin name d
  # A PATH without the shim folder (set by a line the gate let through) gets it back at the next prompt.
  [[ -n $__agent_guard_shims ]] && case ":$PATH:" in *":$bin:"*) ;; *) PATH=$bin${PATH:+:$PATH} ;; esac
  # The editor's first start lays bin/ down a moment after the gate works: until it is there, look again next prompt.
  [[ -d $bin ]] || return 0
  __agent_guard_hashed_path=$PATH
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

# Writing memory after the previous command's fork costs page faults: the common prompt (no ticket, PATH as it was)
# empties the line typed and makes one test.
# Nothing but syntax runs before __agent_guard_own: a `return` here ran a function of that name at every prompt.
# (Enter refuses every line while __agent_guard_own cannot do its work; the prompt then does none of its own.)
__agent_guard_prompt() {
  __agent_guard_pending=
  if [[ -n ${AGENT_GUARD_TICKET+set} || $PATH != "${__agent_guard_hashed_path-}" ]] && __agent_guard_own; then
    [[ -z ${AGENT_GUARD_TICKET+set} ]] || unset AGENT_GUARD_TICKET
    [[ $PATH == "${__agent_guard_hashed_path-}" ]] || __agent_guard_hash_real
  fi
}

# VS Code's shell integration reports a command as started from its DEBUG trap, which also fires for the gate's own
# key binding; the report would then carry the previous line. Its preexec functions skip the gate's call: the test is
# put at the top of their own body rather than in a wrapper, because the trap runs for every command the shell runs
# (the prompt's included), and a second function call each time cost a VS Code terminal about 20 page faults a line.
for __agent_guard_fn in __vsc_preexec_only __vsc_preexec_all; do
  if __agent_guard_def=$(declare -f "$__agent_guard_fn") && [[ $__agent_guard_def == "$__agent_guard_fn ()"*'{'* ]]; then
    eval "${__agent_guard_def/'{'/'{ [[ $BASH_COMMAND == __agent_guard_* ]] && return 0;'}"
  fi
done
unset __agent_guard_fn __agent_guard_def

# Enter, and every other key that runs the line (C-j, C-o, M-#, C-x C-e, vi's `v` and `#`), first calls the gate;
# re-reading the init file (C-x C-r) could rebind Enter, so it does nothing.
for __agent_guard_map in emacs vi-insert vi-command; do
  bind -m "$__agent_guard_map" -x '"\e[9001~": __agent_guard_line'
  bind -m "$__agent_guard_map" '"\e[9002~": accept-line'
  bind -m "$__agent_guard_map" -x '"\e[9003~": __agent_guard_edit'
  bind -m "$__agent_guard_map" '"\e[9004~": beginning-of-line'
  for __agent_guard_key in '\C-m' '\C-j' '\C-o'; do
    bind -m "$__agent_guard_map" "\"$__agent_guard_key\": \"\e[9001~\e[9002~\""
  done
done
bind -m emacs '"\C-x\C-e": "\e[9003~"'
bind -m emacs '"\e#": "\e[9004~#\e[9001~\e[9002~"'
bind -m emacs '"\C-x\C-r": "\e[9004~\e[9004~"'
bind -m vi-command '"v": "\e[9003~"'
bind -m vi-command '"#": "\e[9004~i#\e[9001~\e[9002~"'
unset __agent_guard_map __agent_guard_key
# Where bash can load the gate's builtin (Linux; see bash-line.c), Enter, C-j and C-o call it instead. It accepts at
# once a line the quick path of __agent_guard_line would let through, and hands every other line to the key macros:
# the first line of a command to \e[9005~, which also does the prompt hook's work (so the prompt hook does nothing),
# a continuation to \e[9001~, a plain first line that names a word worth asking about to \e[9006~. A prompt and a
# common line then cost bash no function call and no `bind -x` round.
# Where the builtin does not load, the macros above stay, and the prompt hook calls __agent_guard_prompt.
__agent_guard_first() {
  if ! __agent_guard_own; then
    __agent_guard_unowned
  else
    __agent_guard_prompt
    __agent_guard_line
  fi
}
# \e[9006~: the builtin found the first line plain, with a word worth asking about: what __agent_guard_line's quick path
# does with such a line, without testing again what the builtin tested.
__agent_guard_ask_now() {
  if ! __agent_guard_own; then
    __agent_guard_unowned
  else
    __agent_guard_pending=$READLINE_LINE
    __agent_guard_decide "$__agent_guard_pending"
  fi
}
# \e[9008~: the builtin asked about the line itself (the same plain line) and the answer was not a plain "allow": the
# rest of it (a refusal, a person deciding, an approval's ticket, junk, silence) is read here, on the builtin's
# connection, which it names in the read-only __agent_guard_asked. Nothing else names it: typed by hand, with no
# connection named, this refuses the line.
__agent_guard_answered() {
  if ! __agent_guard_own; then
    __agent_guard_unowned
  else
    local asked=$__agent_guard_asked LC_ALL=C
    __agent_guard_pending=$READLINE_LINE
    __agent_guard_verdict=deny __agent_guard_ticket=- __agent_guard_text='there is no answer from the gate for this line; refused'
    if [[ $asked == [123456789]*' '[0123456789]* && $asked != *[!0123456789\ ]* && ${#asked} -le 16 ]]; then
      __agent_guard_verdict=unreachable __agent_guard_text=
      __agent_guard_window
      __agent_guard_answer "${asked%% *}" "${asked#* }"
    fi
    __agent_guard_act "$__agent_guard_pending"
  fi
}
__agent_guard_entered=
for __agent_guard_map in emacs vi-insert vi-command; do
  bind -m "$__agent_guard_map" -x '"\e[9005~": __agent_guard_first'
  bind -m "$__agent_guard_map" -x '"\e[9006~": __agent_guard_ask_now'
done
if [[ -f $AGENT_GUARD_DIR/bash-line.so ]] && enable -f "$AGENT_GUARD_DIR/bash-line.so" __agent_guard_enter 2>/dev/null; then
  __agent_guard_enter bind && __agent_guard_entered=1
  # The builtin's hand-over (\e[9008~) exists only with the builtin: without it nothing but a typed key could send it.
  if [[ -n $__agent_guard_entered ]]; then
    for __agent_guard_map in emacs vi-insert vi-command; do
      bind -m "$__agent_guard_map" -x '"\e[9008~": __agent_guard_answered'
    done
  fi
  # M-# and vi `#` run the line too: through the builtin, which starts a command as Enter does (the pending lines of
  # one abandoned with C-c, the approval and PATH settled), not straight to \e[9001~, which continues one.
  if [[ -n $__agent_guard_entered ]]; then
    bind -m emacs '"\e#": "\e[9004~#\e[9007~"'
    bind -m vi-command '"#": "\e[9004~i#\e[9007~"'
  fi
  enable -n __agent_guard_enter
fi
# VS Code's shell integration runs the prompt hook from its own copy of PROMPT_COMMAND, through eval and its DEBUG
# trap (a function call for each command the hook runs). With Enter doing the prompt's work, the hook has nothing
# left to do in this shell, so it leaves VS Code's copy (not exported: the PROMPT_COMMAND children inherit is kept).
# The text is BASH_PROMPT_HOOK in src/gate/install.ts.
if [[ -n $__agent_guard_entered && -n ${__vsc_original_prompt_command-} ]]; then
  __vsc_original_prompt_command=${__vsc_original_prompt_command/'[[ ${__agent_guard_loaded@a} == r ]] || __agent_guard_posix_set=${POSIXLY_CORRECT-1} POSIXLY_CORRECT=y . "$AGENT_GUARD_DIR/interactive.bash"; [[ -z ${__agent_guard_ready-} ]] || __agent_guard_prompt; '/}
fi
unset __agent_guard_map
# Tells the editor that this shell's line gate is in place (its process id), for the per-terminal status. No answer is
# awaited: a slow editor never delays the prompt.
__agent_guard_announce() {
  local fd= msg='loaded bash' LC_ALL=C
  __agent_guard_window || return 0
  { exec {fd}<>"/dev/tcp/127.0.0.1/$AGENT_GUARD_PORT"; } 2>/dev/null || return 0
  printf 'AG1 %s ping %s - %s %s\n%s%s' "$AGENT_GUARD_TOKEN" "$$" "${#PWD}" "${#msg}" "$PWD" "$msg" >&"$fd" 2>/dev/null
  exec {fd}>&-
}
__agent_guard_announce
# The gate's functions and variables cannot be redefined or changed in this shell.
readonly -f __agent_guard_own __agent_guard_unowned __agent_guard_announce __agent_guard_first __agent_guard_ask_now __agent_guard_answered __agent_guard_act __agent_guard_answer __agent_guard_line __agent_guard_check __agent_guard_decide __agent_guard_drop __agent_guard_show __agent_guard_edit __agent_guard_ask __agent_guard_window __agent_guard_unreachable __agent_guard_sync __agent_guard_relevant __agent_guard_has_word __agent_guard_names_guarded __agent_guard_tampers __agent_guard_path_change __agent_guard_parent_is_starting_shell __agent_guard_prompt __agent_guard_hash_real __agent_guard_odd_locale __agent_guard_multibyte __agent_guard_unsplittable
readonly __agent_guard_home __agent_guard_loaded __agent_guard_entered __agent_guard_shims AGENT_GUARD_PORT AGENT_GUARD_TOKEN AGENT_GUARD_DIR AGENT_GUARD_TIER AGENT_GUARD_UNREACHABLE AGENT_GUARD_STARTING AGENT_GUARD_LINE_OK BASH_ENV 2>/dev/null
[[ -n ${AGENT_GUARD_ANSWER_S-} ]] && readonly AGENT_GUARD_ANSWER_S
[[ -n ${AGENT_GUARD_APPROVAL_S-} ]] && readonly AGENT_GUARD_APPROVAL_S
# Everything is in place: the prompt hook may call __agent_guard_prompt (Enter does, where the builtin is loaded).
[[ -n $__agent_guard_entered ]] || readonly __agent_guard_ready=1 __agent_guard_asked=
