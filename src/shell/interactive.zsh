# Agent Guard for interactive zsh: wraps the widgets that run the line, so the whole line is checked first.
[[ -o interactive && -n ${AGENT_GUARD_DIR-} ]] || return 0
# Loaded in this shell, not exported: a parent that exported its own must not keep the gate out of a child zsh. Names
# like the gate's that came from the environment are a parent's, not this shell's: gone before anything reads them.
[[ -n ${__agent_guard_loaded-} && ${(t)__agent_guard_loaded} != *export* ]] && return 0
() {
  emulate -L zsh
  local v
  for v in ${(k)parameters[(I)__agent_guard_*]}; do
    [[ ${parameters[$v]} == *export* ]] && unset $v
  done
}
typeset -g __agent_guard_loaded=1 __agent_guard_passed= __agent_guard_version= __agent_guard_marker= __agent_guard_mode=all __agent_guard_re= __agent_guard_why=
# The gate's own folder, from where this file lies (not from the environment a script could change).
typeset -g __agent_guard_home=${${(%):-%x}:h}
# Start-up is over: from here on, everything this shell runs is checked.
unset AGENT_GUARD_STARTING AGENT_GUARD_LINE_OK
zmodload zsh/net/tcp 2>/dev/null || true
zmodload zsh/system 2>/dev/null || true
# zsh has no read-only functions, and `functions[$n]='…'` (a name the line check cannot read) replaced the gate's own
# widget with one that runs any line. The table is read-only from here on: functions are still defined and removed
# the usual ways (`name() { … }`, `unfunction`), which the line check sees; a function of the gate's is never.
zmodload zsh/parameter 2>/dev/null && typeset -gr functions
# Whether this terminal has the shims (a setting can leave them out): only then does PATH get them back.
typeset -gi __agent_guard_shims=${path[(Ie)$__agent_guard_home/bin]}

# True when AGENT_GUARD_PORT and _TOKEN are this window's gate (registered in the gate's folder); sets the policy.
__agent_guard_window() {
  emulate -L zsh
  local token= tier= policy=
  typeset -g __agent_guard_policy=hold
  [[ ${AGENT_GUARD_PORT-} == <1-65535> && -n ${AGENT_GUARD_TOKEN-} ]] || return 1
  { IFS= read -r token && IFS= read -r tier && IFS= read -r policy } <"$__agent_guard_home/ports/$AGENT_GUARD_PORT" 2>/dev/null
  [[ -n $token && $token == $AGENT_GUARD_TOKEN ]] || return 1
  [[ $policy == warn ]] && __agent_guard_policy=warn
  return 0
}

# Bounded, as in lib.bash: no answer within AGENT_GUARD_ANSWER_S, or AGENT_GUARD_APPROVAL_S once a person is
# deciding, or anything that is not an answer, is a refusal with the reason.
__agent_guard_ask() {
  emulate -L zsh
  local kind=$1 cmd=$2 cwd=$PWD fd line ncwd ncmd
  typeset -g __agent_guard_verdict=unreachable __agent_guard_ticket=- __agent_guard_text=
  if ! __agent_guard_window; then
    __agent_guard_text="this terminal's gate is not this editor window's (port ${AGENT_GUARD_PORT-unset})"
    return 0
  fi
  if ! ztcp 127.0.0.1 $AGENT_GUARD_PORT 2>/dev/null; then
    # Only "nothing listens on the port" is an editor that has gone (see lib.bash): out of descriptors is refused.
    local t
    if { exec {t}</dev/null } 2>/dev/null; then
      exec {t}<&-
      __agent_guard_text='no gate is listening'
    else
      __agent_guard_verdict=deny __agent_guard_text='could not connect to the gate (no file descriptor left); refused'
    fi
    return 0
  fi
  fd=$REPLY
  # Lengths in bytes. Options are this function's own (emulate -L): no inner function, which would cost a heap.
  setopt nomultibyte
  ncwd=${#cwd} ncmd=${#cmd}
  setopt multibyte
  # A ticket as the gate issues them (hex), or none (see lib.bash): nothing in it may end the first line early.
  local ticket=${AGENT_GUARD_TICKET-}
  [[ -n $ticket && $ticket != *[^0-9a-f]* && ${#ticket} -le 64 ]] || ticket=-
  print -rn -u $fd -- "AG1 $AGENT_GUARD_TOKEN $kind $$ $ticket $ncwd $ncmd"$'\n'"$cwd$cmd"
  # Bounded waits, as in lib.bash: a gate that stays silent or streams junk is refused, never waited on forever.
  # sysread, not read -t: zsh's read only times out before the first byte, so a line that never ends would hang it.
  local bound=${AGENT_GUARD_ANSWER_S:-10} held= buf= chunk left rc answered=
  [[ $bound == <1-99999> ]] || bound=10
  local deadline=$(( SECONDS + bound ))
  while [[ -z $answered ]]; do
    while [[ -z $answered && $buf == *$'\n'* ]]; do
      line=${buf%%$'\n'*} buf=${buf#*$'\n'}
      case ${line%% *} in
        wait)
          print -u2 -- $'\n\e[33m■ '"${line#wait }"$'\e[0m'
          [[ -n $held ]] || { bound=${AGENT_GUARD_APPROVAL_S:-180}; [[ $bound == <1-99999> ]] || bound=180; deadline=$(( SECONDS + bound )) }
          held=1 ;;
        allow|deny)
          __agent_guard_verdict=${line%% *}
          line=${line#* }
          __agent_guard_ticket=${line%% *}
          __agent_guard_text=${line#* }
          answered=1 ;;
        *)
          # Whatever answers with junk is not a gate to trust: refused, whatever the terminal's policy.
          __agent_guard_verdict=deny
          __agent_guard_text='the gate answered with something that is not an answer; refused'
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
  local why=${__agent_guard_text:+ ($__agent_guard_text)}
  if [[ $__agent_guard_policy == warn ]]; then
    print -u2 -- $'\e[33m⚠ Agent Guard is not reachable from this terminal'"$why"'; running unchecked ('"${AGENT_GUARD_TIER-unknown}"$' workspace).\e[0m'
    return 0
  fi
  return 1
}

__agent_guard_relevant() {
  emulate -L zsh
  local IFS=$' \t\n\0'
  local head= w k
  local -a lines
  # One stat says whether anything changed: the editor removes current/<version> when it writes new lists. Then one
  # read(2) of the first bytes (zsh's `read` takes a byte per system call, which over the 4 KB word list cost
  # milliseconds a line); the whole file is read only when the version moved.
  # (No `:` or `true` here, nor anywhere before the widget has looked for stand-ins of them: they are builtins too.)
  if [[ -n $__agent_guard_version && -e $__agent_guard_home/current/$__agent_guard_version ]]; then
  elif { sysread -s 64 head } <"$__agent_guard_home/prefilter" 2>/dev/null && [[ $head == *$'\n'* ]]; then
    if [[ ${head%%$'\n'*} != $__agent_guard_version ]]; then
      lines=("${(@f)$(<"$__agent_guard_home/prefilter")}")
      typeset -g __agent_guard_version=${lines[1]} __agent_guard_mode=${lines[2]}
      # A file that does not look like the editor's (a mode it never writes, rm missing) was tampered with.
      [[ (${lines[2]} == normal || ${lines[2]} == all) && " ${lines[3]} " == *" rm "* && " ${lines[4]} " == *" rm "* ]] || __agent_guard_mode=all
      typeset -gA __agent_guard_ask_words
      __agent_guard_ask_words=()
      for w in ${=lines[3]}; do __agent_guard_ask_words[$w]=1; done
      (( ${#lines} >= 4 )) || __agent_guard_mode=all
    fi
  else
    typeset -g __agent_guard_mode=all __agent_guard_version=
  fi
  # The gate widget's quick path: one stat of this marker stands for "the lists are current, mode normal".
  if [[ $__agent_guard_mode != normal ]]; then
    typeset -g __agent_guard_marker=
    return 0
  fi
  typeset -g __agent_guard_marker=$__agent_guard_home/current/$__agent_guard_version
  # A backslash at the end of a line joins it to the next: `r\` then `m -rf data` is `rm -rf data`.
  [[ $1 != *$'\\\n'* ]] || 1=${1//$'\\\n'/}
  # Lines typed inside the gate's own folder, or naming it, are asked about (the engine holds changes to it).
  [[ $PWD == $__agent_guard_home || $PWD == $__agent_guard_home/* || $1 == *$__agent_guard_home* ]] && return 0
  # Above the gate's folder, a line naming the next folder down towards it may reach it by a relative path.
  if [[ $__agent_guard_home == ${PWD%/}/* ]]; then
    local first=${__agent_guard_home#${PWD%/}/}
    [[ $1 == *${first%%/*}* ]] && return 0
  fi
  # A program run by its path (`./x`, `bin/tidy`, `../tools/y`), first on the line or after `;`, `&`, `|`, `(` or a
  # new line: the engine looks at what the file is and runs. Glob tests, not `=~` (a regex compiled per line).
  if [[ $1 == */* ]]; then
    local seg=$1
    while (( 1 )); do
      w=${seg#${seg%%[^[:space:]]*}}
      [[ ${w%%[[:space:]\;\&\|\(\)\<\>=]*} == */* ]] && return 0
      [[ $seg == *[$'\n'\;\&\|\(]* ]] || break
      seg=${seg#*[$'\n'\;\&\|\(]}
    done
  fi
  # A function defined on the line may stand in for a builtin the gate runs (`printf() { …; }`), and the line
  # editor is the gate's (`"z"le .accept-line`): asked, however quoted.
  [[ $1 == *"()"* || $1 == *function[[:space:]]* || $1 == *[zZ]*[lL]*[eE]* ]] && { w=" ${1//[\'\"\\]/} "; [[ $w == *"()"* || $w == *function[[:space:]]* || $w == *[[:space:]\;\&\|\(\{]zle[[:space:]\;\&\|\)\}]* ]] && return 0; }
  # Typed inside a protected folder (`cd .vscode`, then `cat x > settings.json`), or a word that begins with a
  # parenthesis (`(.vscode|x)`, a subshell): asked.
  case $PWD/ in
    (*/.vscode/*|*/.claude/*|*/.cursor/*|*/.codex/*|*/.gemini/*|*/.copilot/*|*/.qwen/*|*/.github/hooks/*|*/Code/User/*) return 0 ;;
  esac
  [[ $1 == \(* || $1 == *[[:space:]\;\&\|]\(* ]] && return 0
  # Every pattern below needs one of these characters or words: a line with none (`ls -la`, `git status`) skips them.
  [[ $1 == *[\$\`!^\>./[:upper:]]* || $1 == *agent-guard* || $1 == *which* || $1 == *command* ]] &&
  case $1 in
    (*[[:space:]]"./"*|*"../"*|*"/.."|*"/.."[^[:alnum:]]*) return 0 ;;
    (*[\$\`!^]*|\>*|*[\;\&\|\(\{]\>*|*[\;\&\|\(\{][[:space:]]\>*|*print*\>*|*echo*\>*|*true*\>*|*:*\>*|*exec*\>*|*/dev/*|*GLOBIGNORE*|*AGENT_GUARD*|*PATH=*|*BASH_ENV*|*PROMPT_COMMAND*|*ZDOTDIR*|*.vscode*|*.github/hooks*|*.claude*|*.cursor*|*.codex*|*.gemini*|*.copilot*|*.qwen*|*.env*|*QWEN_*|*CLAUDE_C*|*CODEX_HOME*|*COPILOT_HOME*|*GEMINI_CLI_*|*User/settings*|*User/keybindings*|*User/profiles/*|*Machine/settings*|*code-work*|*agent-guard*|*.bashrc*|*.bash_profile*|*.bash_login*|*.profile*|*.zshrc*|*.zshenv*|*.zprofile*|*.zlogin*|*.inputrc*|*bin/*|*which*|*command\ -v*) return 0 ;;
    # A glob or group before a folder's slash (`.vs*/settings.json`, `(.vscode|x)/…`) or in a word that begins with a
    # dot (`cp s.json .v?code`): it may name a protected file, whatever program is given it.
    (*[][*?\(\{]*/*|*[[:space:]].*[][*?\(]*) return 0 ;;
  esac
  # A copy made of symbolic links (`cp -rs ~ mirror`) gives every file under its source a second name (guard.link-above).
  [[ $1 == *cp[[:space:]]*-* && $1 =~ '(^|[[:space:];&|(])cp[[:space:]]([^;&|]*[[:space:]])?(-[[:alnum:]]*s|--symbolic-link)' ]] && return 0
  local bare=${1//[\'\"\\]/}
  # A brace expansion can assemble any word; `=rm` is a path lookup: ask.
  [[ $bare == *\{*,*\}* || $bare == *\{*..*\}* ]] && return 0
  # A glob (zsh's own syntax included: r(m|x), r<->, (#i)) that could match a guarded word: ask.
  if [[ $bare == *[][*?\(\<\^\#~]* ]]; then
    for w in ${=bare//[;&|]/ }; do
      [[ $w == *[][*?\(\<\^\#~]* ]] || continue
      w=${w##*/}
      w=${w#[\(\!]}
      for k in ${(k)__agent_guard_ask_words}; do
        # A word that is no valid pattern (`<(cat`) is an error that would end this function and let the line run
        # unchecked: `always` ends the error there, and the status (2) asks.
        {
          () {
            setopt localoptions extendedglob kshglob
            [[ $k == ${~w} ]]
          } 2>/dev/null
        } always { TRY_BLOCK_ERROR=0 }
        (( $? != 1 )) && return 0
      done
    done
  fi
  bare=${bare//[;&|()<>\{\}!=]/ }
  for w in ${=bare}; do
    w=${w##*/}
    # An element or an append names its variable: `options[correct]=on`, `histchars+=zq`.
    w=${w%%[\[+]*}
    [[ -n $w && -n ${__agent_guard_ask_words[$w]-} ]] && return 0
    w=${w%%[0-9.]*}
    [[ -n $w && -n ${__agent_guard_ask_words[$w]-} ]] && return 0
  done
  return 1
}

# The checks on the gate's own functions, bindings and variables are shared with bash (lib.bash, bash syntax that
# zsh runs under emulate bash... is not exact), so zsh keeps its own copy of the few patterns it needs.
__agent_guard_tampers() {
  emulate -L zsh
  setopt localoptions bashrematch
  local line=$1 rest m w
  typeset -g __agent_guard_why=
  case $line in
    (*agent_guard*|*AGENT_GUARD_*|*BASH_ENV*|*INPUTRC*|*ZDOTDIR*|*PATH*|*path*|*bind*|*zle*|*ZLE*|*enable*|*disable*|*unfunction*|*functions*|*preexec*|*precmd*|*zshaddhistory*|*complete*|*compdef*|*widget*|*trap*) ;;
    (*) return 1 ;;
  esac
  if [[ $line == *agent_guard* ]]; then
    __agent_guard_why="it names the gate's own functions"
    return 0
  fi
  rest=${line//\$\{AGENT_GUARD_/}
  rest=${rest//\$AGENT_GUARD_/}
  rest=${rest//\$\{BASH_ENV/}
  rest=${rest//\$BASH_ENV/}
  if [[ $rest =~ '(AGENT_GUARD_[A-Z_]+|BASH_ENV|INPUTRC|ZDOTDIR)' ]]; then
    __agent_guard_why="it changes the gate's variable ${BASH_REMATCH[2]}"
    return 0
  fi
  if [[ $line =~ '(^|[;&|({`]|builtin|command|eval|then|do|else)[[:space:]\\'"'"'"]*(bindkey|bind|zle|unfunction|enable|disable)([[:space:]'"'"'"]|$)' ]]; then
    m=${BASH_REMATCH[3]}
    if ! [[ $line =~ '^[[:space:]]*(bindkey([[:space:]]+-[evlL])?|bindkey[[:space:]]+-M[[:space:]]+[a-z]+[[:space:]]+-L|zle[[:space:]]+-l[a-zL]*)[[:space:]]*$' ]]; then
      __agent_guard_why="it changes key bindings or shell builtins ($m)"
      return 0
    fi
  fi
  if [[ $line =~ '(^|[^A-Za-z0-9_$])(functions[[:space:]]+-c|zle-line-init|zle-line-finish|zle-keymap-select|precmd_functions|preexec_functions|zshaddhistory|complete[[:space:]]+-[A-Za-z]*[CF]|compdef|precmd|preexec|chpwd|periodic|TRAP[A-Z]+)([^A-Za-z0-9_]|$)' ]]; then
    __agent_guard_why="it changes the shell's hooks or widgets (${BASH_REMATCH[3]})"
    return 0
  fi
  # zsh runs DEBUG and ZERR traps inside functions: inside the gate's widget, such a trap could define a function
  # standing in for a builtin between two of its commands (after the widget looked for them). One whose signal the
  # line does not spell out plainly could be either.
  if [[ $line =~ '(^|[^A-Za-z0-9_])trap[[:space:]].*(DEBUG|ZERR|ERR|[$`]|[[:space:]][0-9]+[[:space:]]*$)' ]]; then
    __agent_guard_why="it sets a trap that would run inside the gate's own code (DEBUG, ZERR, or a signal it does not name plainly)"
    return 0
  fi
  if [[ $line =~ '(^|[^A-Za-z0-9_])(no_?zle|zle)([^A-Za-z0-9_]|$)' && $line =~ '(setopt|unsetopt|set[[:space:]]+[-+]o|emulate)' ]]; then
    __agent_guard_why='it turns off the line editor the gate lives in'
    return 0
  fi
  [[ $line =~ '(^|[^A-Za-z0-9_$\{])(PATH|path)([^A-Za-z0-9_]|$)' ]] || return 1
  setopt localoptions noglob
  for w in ${=line//[;&|()<>\`]/ }; do
    w=${w//[\'\"]/}
    case $w in
      (PATH=*|PATH+=*|path=*|path+=*|path\[*)
        case $w in
          (PATH+=:*|path+=*) ;;
          (PATH=*'$PATH'|PATH=*'$PATH:'*|PATH=*'${PATH}'|PATH=*'${PATH}:'*|path=*'$path'*) ;;
          (path=)
            [[ $line =~ '(^|[^A-Za-z0-9_])path=\(([^)]*)\)' && ${BASH_REMATCH[3]} =~ '\$(path|\{path\})([^A-Za-z0-9_\[]|$)' ]] && continue
            __agent_guard_why='it changes PATH and may drop the guard folder'
            return 0 ;;
          (*) __agent_guard_why='it changes PATH and may drop the guard folder'; return 0 ;;
        esac ;;
      (PATH|path)
        if [[ $line =~ '(^|[;&|({[:space:]])(read|printf|print|for|let|declare|typeset|local|readonly|unset|shift|mapfile|readarray|getopts|vared|select|integer|float|set)[[:space:]]' ]]; then
          __agent_guard_why='it changes PATH and may drop the guard folder'
          return 0
        fi ;;
    esac
  done
  return 1
}

# The command stays on screen, with what was decided and why under it.
__agent_guard_show() {
  local shown=$3
  (( ${#shown} > 300 )) && shown="${shown[1,300]}…"
  shown=${shown//$'\n'/$'\n  '}
  print -u2 -r -- $'\n\e[31m✖ '"$1: $shown"$'\e[0m\n\e[31m  '"$2"$'\e[0m'
}

# The widget behind every key that runs the line: checks it, then runs the builtin widget it was called as. Each zsh
# function call maps and unmaps a heap, so the common line makes as few calls as it can (the gate, the prefilter).
# __agent_guard_gone NAME… — removes those of the functions NAME… that exist (they stand in for builtins the gate
# runs; see __agent_guard_gate, which has made sure `builtin`, `unfunction` and `enable` are the builtins), turns
# those of the builtins NAME… back on that were turned off (`disable read` lets a function of that name stand in
# again), and says so. False, with the line emptied, if either is still so afterwards.
__agent_guard_gone() {
  local -a shadow off
  local n
  for n in "$@"; do
    (( ${+functions[$n]} )) && shadow+=($n)
    (( ${+dis_builtins[$n]} )) && off+=($n)
  done
  (( ${#shadow} )) && builtin unfunction -- "${shadow[@]}"
  (( ${#off} )) && builtin enable -- "${off[@]}"
  builtin zle -I
  (( ${#shadow} )) && builtin print -u2 -r -- $'\e[33mAgent Guard: removed the function(s) '"${shadow[*]}"$' that stood in for builtins the gate runs\e[0m'
  (( ${#off} )) && builtin print -u2 -r -- $'\e[33mAgent Guard: turned the builtin(s) '"${off[*]}"$' the gate runs back on\e[0m'
  for n in "$@"; do
    if (( ${+functions[$n]} || ${+dis_builtins[$n]} )); then
      builtin print -u2 -r -- $'\e[31m✖ refused by Agent Guard: '"$PREBUFFER$BUFFER"$'\e[0m\n\e[31m  guard.shell-tamper: '"$n"$' still stands in for the builtin the gate runs\e[0m'
      BUFFER=
      return 1
    fi
  done
}

__agent_guard_gate() {
  # A function named like a builtin the gate runs stands in for it: `sysread() { chunk=$'allow - ok\n' }` typed at the
  # prompt answered the gate's questions itself, and `zle() { … }` could run any line; so could the trap functions
  # that run inside the gate's own code (TRAPDEBUG, TRAPZERR). zsh has no mode in which the builtin wins, so before
  # anything runs the names are looked up in $functions (a parameter: no command is called). Such functions are
  # removed, with `builtin unfunction` once neither of those two names is a function itself; if one is (or
  # $functions is not zsh's own), no line runs: the line is emptied, and nothing else is called.
  # The same for a builtin turned off (`disable unfunction`, `disable read`): zsh then runs a function of that name.
  # Those are looked up in $dis_builtins (zsh/parameter's, like $functions), when any builtin is off at all.
  if [[ ${(t)functions} != *special* || ${(t)dis_builtins} != *special* ]] ||
    (( ${+functions[builtin]} + ${+functions[unfunction]} + ${+functions[enable]} )) ||
    { (( ${#dis_builtins} )) && (( ${+dis_builtins[builtin]} + ${+dis_builtins[unfunction]} + ${+dis_builtins[enable]} )) }; then
    (( ${+functions[print]} || ${+dis_builtins[print]} )) || print -u2 -r -- $'\n\e[31m✖ refused by Agent Guard: '"$PREBUFFER$BUFFER"$'\e[0m\n\e[31m  guard.shell-tamper: a function stands in for a builtin the gate runs (builtin, unfunction or enable), or one is turned off, so no line runs in this terminal: open a new terminal\e[0m'
    BUFFER=
  # What every line runs is looked at here; what the whole check runs, before it (__agent_guard_gone).
  # (`hash` and `unset` run below when PATH changed or an approval ends, `command` in the editing widget: a `hash`
  # function that sourced a file of the agent's redefined the gate's own ask when PATH was next changed.)
  elif { ((
      ${+functions[emulate]} + ${+functions[zle]} + ${+functions[break]} + ${+functions[hash]} + ${+functions[unset]} +
      ${+functions[command]} + ${+functions[TRAPDEBUG]} + ${+functions[TRAPZERR]} + ${+functions[TRAPERR]}
    )) || { (( ${#dis_builtins} )) && ((
      ${+dis_builtins[emulate]} + ${+dis_builtins[zle]} + ${+dis_builtins[break]} + ${+dis_builtins[hash]} +
      ${+dis_builtins[unset]} + ${+dis_builtins[command]}
    )) } } &&
    ! __agent_guard_gone emulate zle break hash unset command TRAPDEBUG TRAPZERR TRAPERR; then
    :
  else
    # The line's zle-line-finish is the gate's (see __agent_guard_finish).
    [[ ${widgets[zle-line-finish]-} == user:__agent_guard_finish ]] || __agent_guard_refinish
    # What the gate used to do at each prompt (a precmd function), done here: a function call costs zsh a heap and
    # page faults after every fork, and a line runs only through this widget. The previous line's approval ends, and
    # a PATH a line set without the shim folder gets it back.
    (( ! ${+AGENT_GUARD_TICKET} )) || unset AGENT_GUARD_TICKET
    [[ "$PATH" == "${__agent_guard_hashed_path-}" ]] || __agent_guard_hash_real
    # zsh may run another command than the one checked. Its spelling correction offers `rm` for a typed `rmm` and runs
    # it on a `y`: it is turned off when the gate loads, and a line typed while it is on again (an approved `setopt
    # correct`) is refused, and it is turned off at the next prompt (not here: `emulate -L` below puts the options back
    # as they were when this widget started). History characters other than `!^` (histchars=zq) make `qlsqrm -rf` run
    # `rm -rf data`: no line runs until they are back or bang history is off. Both are read before `emulate -L`, which
    # would show zsh's defaults. (`${histchars:0:2}`, not `[1,2]`: the person's ksharrays would count from 0 there.)
    local why= w m k q=
    [[ -o banghist && ${histchars:0:2} != '!^' ]] && why="history expansion uses the characters '${histchars:0:2}', so zsh would run another command than the one checked; set histchars='!^#' (or setopt no_bang_hist) first"
    if [[ -o correct || -o correctall ]]; then
      why="zsh's spelling correction is on, so zsh may run another command than the one checked; it is turned off at the next prompt"
      # ((r): the element itself, whatever the person's ksh_arrays makes of indices.)
      [[ -n ${precmd_functions[(r)__agent_guard_correct_off]} ]] || precmd_functions+=(__agent_guard_correct_off)
    fi
    # (Every local is made in one statement where it can: each is a call of typeset. `line` is assigned after
    # `emulate -L`, where the person's glob_assign and glob_subst cannot make it other than what zsh runs.)
    emulate -L zsh
    case $WIDGET in
      (accept-and-hold|accept-line-and-down-history|accept-and-infer-next-history) w=$WIDGET ;;
      (*) w=accept-line ;;
    esac
    # What zsh will run: the lines before this one of a command still being read (PREBUFFER), and this one.
    local line=$PREBUFFER$BUFFER
    # The common line, answered here without calling __agent_guard_relevant (as in interactive.bash): lower-case words,
    # digits, `-` and `_` only, naming none of the words the checks look for, typed away from the gate's folder, the
    # editor's lists current and in normal mode (__agent_guard_marker) and no word worth asking about. The second test
    # proves the first: no upper-case letter, blank or punctuation falls in that class.
    if [[ $line != *[^a-z0-9\ _-]* && $'ABCDEFGHIJKLMNOPQRSTUVWXYZ\t\n!"#$%&\'()*+,./:;<=>?@[\\]^`{|}~' != *[a-z0-9\ _-]* && -e $__agent_guard_marker && $PWD/ != $__agent_guard_home/* && $__agent_guard_home != ${PWD%/}/* ]]; then
      case $line in
        (*agent?guard*|*path*|*bind*|*zle*|*enable*|*disable*|*unfunction*|*functions*|*preexec*|*precmd*|*zshaddhistory*|*complete*|*compdef*|*widget*|*chpwd*|*periodic*|*which*|*command*) ;;
        (*)
          q=1
          # Split on the blank itself, not IFS: setting IFS costs zsh a rebuilt character table on entry and return.
          # A word worth asking about: the whole check would find none of its own words and ask, so ask now.
          for k in ${(s: :)line}; do
            [[ -n ${__agent_guard_ask_words[$k]-} ]] && { q=ask; break }
            k=${k%%[0-9]*}
            [[ -n $k && -n ${__agent_guard_ask_words[$k]-} ]] && { q=ask; break }
          done ;;
      esac
    fi
    # Anything past the common line runs more of the gate: the rest of the names, before any of it runs.
    if [[ $q != 1 || -n $why ]] && { ((
      ${+functions[print]} + ${+functions[read]} + ${+functions[sysread]} + ${+functions[ztcp]} +
      ${+functions[setopt]} + ${+functions[unsetopt]} + ${+functions[exec]} + ${+functions[return]} +
      ${+functions[continue]} + ${+functions[set]}
    )) || { (( ${#dis_builtins} )) && ((
      ${+dis_builtins[print]} + ${+dis_builtins[read]} + ${+dis_builtins[sysread]} + ${+dis_builtins[ztcp]} +
      ${+dis_builtins[setopt]} + ${+dis_builtins[unsetopt]} + ${+dis_builtins[exec]} + ${+dis_builtins[return]} +
      ${+dis_builtins[continue]} + ${+dis_builtins[set]}
    )) } }; then
      __agent_guard_gone print read sysread ztcp setopt unsetopt exec return continue set || return 0
    fi
    if [[ -n $why ]]; then
      zle -I
      __agent_guard_show 'refused by Agent Guard' "guard.shell-tamper: $why" "$line"
      __agent_guard_drop
      return 0
    fi
    if [[ -z $q && -n ${line//[[:space:]]/} ]]; then
      # The words are split on zsh's default IFS whatever the person set (IFS=q would hide `rm -rf data` as one word).
      local IFS=$' \t\n\0'
      # In a locale whose characters may end in an ASCII byte (BIG5, GBK, GB18030, Shift_JIS: \xa4\x5c is one BIG5
      # character ending in a backslash), a line holding such characters is split by zsh otherwise than by the gate,
      # which reads UTF-8: refused, with the reason.
      local odd1=$'\xa4\x5c' odd2=$'\x81\x5c' bytes
      if (( ${#odd1} == 1 || ${#odd2} == 1 )); then
        () { setopt localoptions nomultibyte; bytes=${#line} }
        if (( bytes != ${#line} )); then
          zle -I
          __agent_guard_show 'refused by Agent Guard' "this shell's locale (${LC_ALL:-${LC_CTYPE:-${LANG-}}}) has characters that end in an ASCII byte, so Agent Guard cannot tell how it splits this line; use a UTF-8 locale" "$line"
          __agent_guard_drop
          return 0
        fi
      fi
      # The words __agent_guard_tampers looks for, checked here first: most lines name none of them.
      case $line in
        (*agent_guard*|*AGENT_GUARD_*|*BASH_ENV*|*INPUTRC*|*ZDOTDIR*|*PATH*|*path*|*bind*|*zle*|*ZLE*|*enable*|*disable*|*unfunction*|*functions*|*preexec*|*precmd*|*zshaddhistory*|*complete*|*compdef*|*widget*|*chpwd*|*periodic*|*TRAP*|*trap*) m=1 ;;
        (*) m= ;;
      esac
      if [[ -n $m ]] && __agent_guard_tampers "$line"; then
        zle -I
        __agent_guard_show 'refused by Agent Guard' "guard.shell-tamper: $__agent_guard_why" "$line"
        __agent_guard_drop
        return 0
      fi
      __agent_guard_relevant "$line" && q=ask
    fi
    if [[ $q == ask ]]; then
      zle -I
      __agent_guard_ask line "$line"
      case $__agent_guard_verdict in
        (allow)
          if [[ $__agent_guard_ticket != - ]]; then
            export AGENT_GUARD_TICKET=$__agent_guard_ticket
            print -u2 -- $'\e[32m✔ Agent Guard: '"$__agent_guard_text"$'\e[0m'
          fi ;;
        (deny)
          __agent_guard_show 'Agent Guard' "$__agent_guard_text" "$line"
          __agent_guard_drop
          return 0 ;;
        (*)
          if ! __agent_guard_unreachable "$line"; then
            __agent_guard_show 'held' "Agent Guard is not reachable from this terminal${__agent_guard_text:+ ($__agent_guard_text)}, so the command is held (${AGENT_GUARD_TIER-unknown} workspace). Open a new terminal in VS Code." "$line"
            __agent_guard_drop
            return 0
          fi ;;
      esac
    fi
    # The text this widget checked and lets run, once, for zle-line-finish (__agent_guard_finish).
    __agent_guard_passed=$line
    zle ".$w"
  fi
}
# Nothing of a held command runs: the line and any lines of it already typed (continuation) are dropped.
__agent_guard_drop() {
  BUFFER=''
  if [[ -n $PREBUFFER ]]; then
    zle .send-break
  else
    zle .accept-line
  fi
}
__agent_guard_refuse_widget() {
  zle -I
  print -u2 -- $'\e[31m✖ Agent Guard: this key would run a widget by name, past the gate; it is turned off in guarded terminals.\e[0m'
}
zle -N accept-line __agent_guard_gate
zle -N accept-and-hold __agent_guard_gate
zle -N accept-line-and-down-history __agent_guard_gate
zle -N accept-and-infer-next-history __agent_guard_gate
zle -N __agent_guard_refuse_widget
# zle-line-finish runs as a line is accepted, after the gate's widget has checked it, and so may change the line; and a
# widget other than the gate's may accept a line itself (`zle .accept-line`). The start-up files of many systems
# (Debian's and Ubuntu's /etc/zsh/zshrc, frameworks' hooks) define zle-line-init and zle-line-finish, which call
# builtins such as printf, emulate and echoti: a function of such a name then ran the agent's code inside the line
# editor, where it set BUFFER and accepted it, or replaced a line the gate had allowed. So the gate's own widget is
# zle-line-finish, and the one the start-up files defined (if any) runs inside it. A line runs only if the gate's
# widget checked exactly this text and let it run (once: a text approved once does not pass twice), whichever widget
# called the gate's, and nothing changed it since; otherwise it is refused and dropped (send-break), or, with `builtin`, `zle` or `print`
# not to be trusted, left unfinished (a trailing backslash), so that it runs only once the gate's widget checks all of
# it. Only syntax and `builtin` run here (no stand-in for builtin: the gate's widget refuses every line while there is
# one). (A Ctrl-C or a send-break does not run zle-line-finish.)
__agent_guard_finish() {
  # (LASTWIDGET, for the message, first: calling the hook below makes it that hook's name.)
  local b=$PREBUFFER$BUFFER lw=$LASTWIDGET u=
  # (No patterns: the person's sh_glob or glob_subst would change them. u: something the gate runs is not to be trusted.)
  if (( ${+functions[builtin]} )) || { (( ${#dis_builtins} )) && (( ${+dis_builtins[builtin]} + ${+dis_builtins[zle]} + ${+dis_builtins[print]} )) }; then
    u=1
  elif (( __agent_guard_finish_prev )); then
    builtin zle __agent_guard_finish_prev
  fi
  # A hook of the line editor (zle-line-init, zle-keymap-select, …) never accepts a line of its own: what did is code
  # that stood in for something it calls, whatever it set. (`${lw:0:4}`: the person's ksh_arrays does not move it.)
  if [[ -z ${b//[[:space:]]/} ]] || [[ "$PREBUFFER$BUFFER" == "$b" && "$b" == "$__agent_guard_passed" && ${lw:0:4} != zle- ]]; then
    __agent_guard_passed=
  elif [[ -n $u ]] || (( ${+functions[builtin]} )); then
    BUFFER=\\
  else
    builtin print -u2 -r -- $'\n\e[31m✖ refused by Agent Guard: '"$PREBUFFER$BUFFER"$'\e[0m\n\e[31m  guard.shell-tamper: this line was accepted past the gate'"'"'s widget (by '"${lw:-another widget}"$'), or changed after the gate checked it (in zle-line-finish)\e[0m'
    BUFFER=
    # Functions named like builtins are how another widget's code became the agent's: removed, so that the next
    # prompt's hooks do not accept the same line again (and again).
    local f
    local -a s
    for f in ${(k)functions}; do
      (( ${+builtins[$f]} || ${+dis_builtins[$f]} )) && s+=($f)
    done
    if (( ${#s[@]} )); then
      builtin unfunction -- "${s[@]}"
      builtin print -u2 -r -- $'\e[33mAgent Guard: removed the function(s) '"${s[*]}"$' that stood in for builtins\e[0m'
    fi
    builtin zle .send-break
  fi
}
# Makes the gate's widget zle-line-finish again, with the one in its place (if any) run inside it: a plugin may set its
# own at a later prompt, and protection must not vanish with it. At load, and from the gate's widget when it is not.
# (__agent_guard_finish_prev is not read-only: set to 0, a person's hook would not run; nothing else.)
__agent_guard_refinish() {
  emulate -L zsh
  (( ${+widgets[zle-line-finish]} )) && zle -A zle-line-finish __agent_guard_finish_prev
  typeset -gi __agent_guard_finish_prev=${+widgets[__agent_guard_finish_prev]}
  zle -N zle-line-finish __agent_guard_finish
}
__agent_guard_refinish
# Running a widget by name (M-x, M-z, vi's `:`) could reach the builtin `.accept-line` past the gate.
bindkey -M emacs '^[x' __agent_guard_refuse_widget
bindkey -M emacs '^[z' __agent_guard_refuse_widget
bindkey -M viins '^[x' __agent_guard_refuse_widget
bindkey -M vicmd ':' __agent_guard_refuse_widget
# Editing the line in an editor puts it back on the line; Enter then checks and runs it.
__agent_guard_edit() {
  local f=${TMPDIR:-/tmp}/agent-guard-line.$$.$RANDOM.zsh
  print -r -- "$PREBUFFER$BUFFER" >| $f || return 0
  ${=${VISUAL:-${EDITOR:-vi}}} $f </dev/tty >/dev/tty
  BUFFER=$(<$f)
  CURSOR=${#BUFFER}
  command rm -f -- $f
  zle -R
}
zle -N edit-command-line __agent_guard_edit

# The line gate checks what this shell runs directly, so its own lookups may skip the shims (one process less per
# command); the hash table is not inherited, so scripts and other programs still go through them.
__agent_guard_hash_real() {
  emulate -L zsh
  [[ "$PATH" == "${__agent_guard_hashed_path-}" ]] && return 0
  local bin=$__agent_guard_home/bin name d
  # A PATH without the shim folder (set by a line the gate let through) gets it back at the next prompt.
  (( ! __agent_guard_shims || ${path[(Ie)$bin]} )) || path=($bin $path)
  # The editor's first start lays bin/ down a moment after the gate works: until it is there, look again next prompt.
  [[ -d $bin ]] || return 0
  typeset -g __agent_guard_hashed_path=$PATH
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

# Spelling correction would run a corrected command the gate never checked (see __agent_guard_gate): off, once said;
# at load, and at the prompt after a line turned it on (this function removes itself from the prompt's hooks again).
# (No `emulate -L` here: it would put the option back on return.)
__agent_guard_correct_off() {
  unsetopt correct correct_all
  precmd_functions=("${(@)precmd_functions:#__agent_guard_correct_off}")
  print -u2 -- $'\e[33mAgent Guard: zsh\'s spelling correction is off in this terminal (a corrected command would not be the one checked)\e[0m'
}
typeset -ga precmd_functions
[[ -o correct || -o correctall ]] && __agent_guard_correct_off
__agent_guard_hash_real
# Tells the editor that this shell's line gate is in place (its process id), for the per-terminal status. No answer is
# awaited: a slow editor never delays the prompt.
__agent_guard_announce() {
  emulate -L zsh
  local fd msg='loaded zsh' n
  __agent_guard_window || return 0
  ztcp 127.0.0.1 $AGENT_GUARD_PORT 2>/dev/null || return 0
  fd=$REPLY
  () { setopt localoptions nomultibyte; n=${#PWD} }
  print -rn -u $fd -- "AG1 $AGENT_GUARD_TOKEN ping $$ - $n ${#msg}"$'\n'"$PWD$msg" 2>/dev/null
  ztcp -c $fd 2>/dev/null
}
__agent_guard_announce
# The gate's variables cannot be changed in this shell (zsh has no read-only functions: the line check holds lines
# that name the gate's functions instead).
typeset -r __agent_guard_home __agent_guard_shims AGENT_GUARD_PORT AGENT_GUARD_TOKEN AGENT_GUARD_DIR AGENT_GUARD_TIER AGENT_GUARD_UNREACHABLE AGENT_GUARD_STARTING AGENT_GUARD_LINE_OK BASH_ENV 2>/dev/null
[[ -n ${AGENT_GUARD_ANSWER_S-} ]] && typeset -r AGENT_GUARD_ANSWER_S
[[ -n ${AGENT_GUARD_APPROVAL_S-} ]] && typeset -r AGENT_GUARD_APPROVAL_S
