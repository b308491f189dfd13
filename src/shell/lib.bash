# Agent Guard, shared by the interactive hook, the PATH shims and BASH_ENV: ask the editor whether a command may run.
# The editor answers after a person types the resource's name in VS Code; nothing sent from here can approve.

# The gate's own folder, from where this file lies (not from the environment a script could change).
__agent_guard_home=${BASH_SOURCE[0]%/*}

# __agent_guard_own — removes functions named like the shell builtins the gate's own code runs, before it runs any,
# and is false when it could not. Such a function stands in for the builtin: `read() { line='allow - ok'; }` typed at
# the prompt answered every later question of the gate itself, and a child bash imports functions from its
# environment (`export -f read`) before the gate loads. In POSIX mode `unset` is the special builtin whatever function
# has its name, and POSIX mode is turned on by an assignment, which no function can stand in for; the gate leaves it
# as it found it (__agent_guard_posix_set: 1 when the gate turned it on, else the person's own value). Traps run
# inside functions only with functrace or errtrace (`set -T`, `set -E`): those are turned off, so no trap runs in the
# middle of the gate's code either.
# Only syntax, assignments and special builtins run here until the functions are gone.
__agent_guard_own() {
  __agent_guard_owned=
  [[ -o posix ]] || { POSIXLY_CORRECT=y; __agent_guard_posix_set=1; }
  # A failed `unset` (turned off with `enable -n unset`: then no builtin of that name is found) is not success. bash's
  # Enter builtin turns such builtins back on before this runs (bash-line.c); without it, the engine holds the line
  # that turns them off (guard.tamper), by whatever name it is spelled.
  if [[ -o posix ]] && unset -f . : [ bind break builtin command continue declare enable eval exec exit export false hash kill local printf read readonly return set shift shopt source test trap true typeset unset; then
    [[ -o functrace || -o errtrace ]] && set +o functrace +o errtrace
    __agent_guard_owned=1
  fi
  # 1: the gate turned it on; another value: the person's own POSIXLY_CORRECT, put back.
  [[ -o posix ]] && case ${__agent_guard_posix_set-} in
    '') ;;
    1) unset POSIXLY_CORRECT __agent_guard_posix_set ;;
    *) POSIXLY_CORRECT=$__agent_guard_posix_set; unset __agent_guard_posix_set ;;
  esac
  [[ -n $__agent_guard_owned ]]
}

# __agent_guard_window — true when AGENT_GUARD_PORT and _TOKEN are this editor window's gate: the window registers
# its port and token in the gate's folder (ports/<port>), so a listener a script started elsewhere is never asked.
# Sets __agent_guard_policy (hold|warn) from the same registration; without one, unreachable means held.
__agent_guard_window() {
  local token= tier= policy=
  __agent_guard_policy=hold
  # Glob tests, not `=~` (a regex compiled per call); no 2>/dev/null (an open and a dozen system calls per ask).
  [[ ${AGENT_GUARD_PORT-} == [0123456789]* && $AGENT_GUARD_PORT != *[!0123456789]* && ${#AGENT_GUARD_PORT} -le 5 && -n ${AGENT_GUARD_TOKEN-} ]] || return 1
  [[ -f $__agent_guard_home/ports/$AGENT_GUARD_PORT && -r $__agent_guard_home/ports/$AGENT_GUARD_PORT ]] || return 1
  { IFS= read -r token && IFS= read -r tier && IFS= read -r policy; } <"$__agent_guard_home/ports/$AGENT_GUARD_PORT"
  [[ -n $token && $token == "$AGENT_GUARD_TOKEN" ]] || return 1
  [[ $policy == warn ]] && __agent_guard_policy=warn
  return 0
}

# Whether this shell's locale has characters whose second byte is ASCII (BIG5, GBK, GB18030, Shift_JIS: \xa4\x5c is
# one BIG5 character ending in a backslash), and whether a string holds any character of more than one byte. There
# the shell splits a line holding such characters otherwise than the gate, which reads UTF-8.
__agent_guard_odd_locale() { local a=$'\xa4\x5c' b=$'\x81\x5c'; ((${#a} == 1 || ${#b} == 1)); }
__agent_guard_multibyte() { local n=${#1} LC_ALL=C; [[ ${#1} != "$n" ]]; }
# __agent_guard_unsplittable TEXT — true, with the reason in __agent_guard_why, when TEXT holds such characters in such
# a locale: the gate cannot tell how the shell will split it.
__agent_guard_unsplittable() {
  __agent_guard_odd_locale && __agent_guard_multibyte "$1" || return 1
  __agent_guard_why="this shell's locale (${LC_ALL:-${LC_CTYPE:-${LANG-}}}) has characters that end in an ASCII byte, so Agent Guard cannot tell how it splits this command; use a UTF-8 locale"
}

# __agent_guard_ask KIND COMMAND — sets __agent_guard_verdict (allow|deny|unreachable), _ticket and _text.
# Bounded: no answer within AGENT_GUARD_ANSWER_S (10 s), or within AGENT_GUARD_APPROVAL_S once a person is deciding
# (the editor sets it from its approval timeout), is a refusal with the reason, never a hang.
# The PATH shim (shim.sh) asks the same way in its own code, to load nothing: keep the two in step.
__agent_guard_ask() {
  local kind=$1 cmd=$2 cwd=$PWD fd=
  __agent_guard_verdict=unreachable __agent_guard_ticket=- __agent_guard_text=
  if ! __agent_guard_window; then
    __agent_guard_text="this terminal's gate is not this editor window's (port ${AGENT_GUARD_PORT-unset})"
    return 0
  fi
  if ! { exec {fd}<>"/dev/tcp/127.0.0.1/$AGENT_GUARD_PORT"; } 2>/dev/null; then
    # Only "nothing listens on the port" is an editor that has gone (see shim.sh): a connection this shell could not
    # make (out of descriptors: `ulimit -n 8`) says nothing about the gate, and "warn" must not run the command.
    local t
    if { exec {t}</dev/null; } 2>/dev/null; then
      exec {t}<&-
      __agent_guard_text='no gate is listening'
    else
      __agent_guard_verdict=deny __agent_guard_text='could not connect to the gate (no file descriptor left); refused'
    fi
    return 0
  fi
  local LC_ALL=C ticket=${AGENT_GUARD_TICKET-}
  # A ticket as the gate issues them (hex), or none: a script sets this variable for its children, and a space or
  # newline in it would end the first line early, with counts and a question of the script's choosing after it.
  [[ -n $ticket && $ticket != *[!0-9a-f]* && ${#ticket} -le 64 ]] || ticket=-
  printf 'AG1 %s %s %s %s %s %s\n%s%s' "$AGENT_GUARD_TOKEN" "$kind" "$$" "$ticket" "${#cwd}" "${#cmd}" "$cwd" "$cmd" >&"$fd"
  __agent_guard_answer "$fd" 0
}

# __agent_guard_answer FD WAITED — reads the gate's answer on FD (closing it) into __agent_guard_verdict, _ticket and
# _text; WAITED seconds of the first answer's bound are already gone (bash's Enter builtin waited them).
# Bounded waits: the first answer comes at once from a working gate; once it says a person is deciding, the wait
# lasts as long as the approval box (plus a margin). A gate that stays silent or streams junk is refused, never
# waited on forever.
__agent_guard_answer() {
  local fd=$1 line left
  local bound=${AGENT_GUARD_ANSWER_S:-10} held= rc
  [[ $bound == [0123456789]* && $bound != *[!0123456789]* && ${#bound} -le 5 && $bound -gt 0 ]] || bound=10
  local deadline=$((SECONDS + bound - $2))
  while :; do
    left=$((deadline - SECONDS)) rc=0
    # -u, not <&: a redirection saves, moves and restores file descriptors on every call.
    if ((left > 0)); then IFS= read -r -t "$left" -u "$fd" line || rc=$?; else rc=142; fi
    if ((rc > 128)); then
      __agent_guard_verdict=deny
      __agent_guard_text="no answer from Agent Guard in VS Code within $bound s; refused (a stuck or false gate is never waited on forever)"
    fi
    ((rc == 0)) || break
    case ${line%% *} in
      wait)
        printf '\n\033[33m■ %s\033[0m\n' "${line#wait }" >&2
        if [[ -z $held ]]; then
          bound=${AGENT_GUARD_APPROVAL_S:-180}
          [[ $bound == [0123456789]* && $bound != *[!0123456789]* && ${#bound} -le 5 && $bound -gt 0 ]] || bound=180
          deadline=$((SECONDS + bound))
        fi
        held=1
        ;;
      allow | deny)
        __agent_guard_verdict=${line%% *}
        line=${line#* }
        __agent_guard_ticket=${line%% *}
        __agent_guard_text=${line#* }
        break
        ;;
      *)
        # Whatever answers with junk is not a gate to trust: refused, whatever the terminal's policy.
        __agent_guard_verdict=deny
        __agent_guard_text='the gate answered with something that is not an answer; refused'
        break
        ;;
    esac
  done
  exec {fd}>&-
}

# __agent_guard_unreachable COMMAND — returns 0 when the command may run anyway (development), 1 when it is held.
__agent_guard_unreachable() {
  local why=${__agent_guard_text:+ ($__agent_guard_text)}
  if [[ $__agent_guard_policy == warn ]]; then
    printf '\033[33m⚠ Agent Guard is not reachable from this terminal%s; running unchecked (%s workspace).\033[0m\n' "$why" "${AGENT_GUARD_TIER-unknown}" >&2
    return 0
  fi
  printf '\033[31m✖ held: Agent Guard is not reachable from this terminal%s, so the command is held (%s workspace). Open a new terminal in VS Code.\033[0m\n' "$why" "${AGENT_GUARD_TIER-unknown}" >&2
  return 1
}

# __agent_guard_sync — reads the editor's mode and word lists when they change.
__agent_guard_sync() {
  local v m ask guarded w IFS=$' \t\n'
  # The first line alone says whether anything changed: the word lists are read only when it did.
  IFS= read -r v <"$__agent_guard_home/prefilter" 2>/dev/null && [[ $v == "${__agent_guard_version-}" ]] && return 0
  if ! { IFS= read -r v && IFS= read -r m && IFS= read -r ask && IFS= read -r guarded; } <"$__agent_guard_home/prefilter" 2>/dev/null; then
    __agent_guard_mode=all
    __agent_guard_version= __agent_guard_marker=
    return 0
  fi
  __agent_guard_version=$v __agent_guard_mode=$m __agent_guard_marker=
  # A file that does not look like the editor's (a mode it never writes, rm missing from the lists) was tampered
  # with: every line is asked about.
  [[ ($m == normal || $m == all) && " $ask " == *" rm "* && " $guarded " == *" rm "* ]] || __agent_guard_mode=all
  declare -gA __agent_guard_ask_words=() __agent_guard_guarded_words=()
  for w in $ask; do __agent_guard_ask_words[$w]=1; done
  for w in $guarded; do __agent_guard_guarded_words[$w]=1; done
  # The interactive hook's quick path: one stat of this marker stands for "the lists are current, mode normal".
  [[ $__agent_guard_mode == normal ]] && __agent_guard_marker=$__agent_guard_home/current/$v
  return 0
}

# __agent_guard_has_word TABLE LINE — true when a word of LINE (quotes removed, path and version stripped) is in TABLE,
# or could become one: a brace expansion, or a glob that matches a word of TABLE (`/bin/r?`, `r[m]`, `@(rm)`).
__agent_guard_has_word() {
  local -n __agent_guard_table=$1
  local bare=${2//[\'\"\\]/} w k IFS=$' \t\n'
  local -
  set -f
  case $bare in *\{*,*\}* | *\{*..*\}*) return 0 ;; esac
  if [[ $bare == *[][*?\(]* ]]; then
    # extglob patterns (`@(rm)`) count whether or not the person turned extglob on.
    local eg=
    shopt -q extglob || { eg=1 && shopt -s extglob; }
    for w in ${bare//[;&|<>]/ }; do
      [[ $w == *[][*?\(]* ]] || continue
      w=${w##*/}
      w=${w#[(\!]}
      for k in "${!__agent_guard_table[@]}"; do
        if [[ $k == $w ]]; then
          [[ -n $eg ]] && shopt -u extglob
          return 0
        fi
      done
    done
    [[ -n $eg ]] && shopt -u extglob
  fi
  bare=${bare//[;&|()<>\{\}!=]/ }
  for w in $bare; do
    w=${w##*/}
    [[ -n $w && -n ${__agent_guard_table[$w]-} ]] && return 0
    w=${w%%[[+]*}
    w=${w%%[0-9.]*}
    [[ -n $w && -n ${__agent_guard_table[$w]-} ]] && return 0
  done
  return 1
}

# __agent_guard_relevant LINE — true when the line must be asked about; false only for lines that name nothing guarded.
# It runs before every line the person types, so the common line (no glob, brace, backslash or parenthesis) is looked
# up here without further calls; the words are split on bash's default IFS whatever the person set it to.
__agent_guard_relevant() {
  local IFS=$' \t\n' w
  # One stat, no file opened: the editor removes current/<version> when it writes new lists.
  [[ -n ${__agent_guard_version-} && -e $__agent_guard_home/current/$__agent_guard_version ]] || __agent_guard_sync
  [[ $__agent_guard_mode == normal ]] || return 0
  # A backslash at the end of a line joins it to the next: `r\` then `m -rf data` is `rm -rf data`.
  [[ $1 == *$'\\\n'* ]] && set -- "${1//$'\\\n'/}"
  # Lines typed inside the gate's own folder, or naming it, are asked about (the engine holds changes to it).
  [[ $PWD == "$__agent_guard_home" || $PWD == "$__agent_guard_home"/* || $1 == *"$__agent_guard_home"* ]] && return 0
  # Above the gate's folder, a line naming the next folder down towards it may reach it by a relative path.
  if [[ $__agent_guard_home == "${PWD%/}"/* ]]; then
    local first=${__agent_guard_home#"${PWD%/}"/}
    [[ $1 == *"${first%%/*}"* ]] && return 0
  fi
  # A program run by its path (`./x`, `bin/tidy`, `../tools/y`), first on the line or after `;`, `&`, `|`, `(` or a
  # new line: the engine looks at what the file is and runs.
  # Glob tests, not `=~`: bash compiles a regex each time, and after a fork its allocations cost page faults.
  if [[ $1 == */* ]]; then
    local seg=$1
    while :; do
      w=${seg#"${seg%%[![:space:]]*}"}
      [[ ${w%%[[:space:];&|()<>=]*} == */* ]] && return 0
      [[ $seg == *[$'\n'\;\&\|\(]* ]] || break
      seg=${seg#*[$'\n'\;\&\|\(]}
    done
  fi
  # A function defined on the line may stand in for a builtin the gate runs (`printf() { …; }`), and zsh's line
  # editor is the gate's (`"z"le .accept-line`): asked, however quoted.
  [[ $1 == *"()"* || $1 == *function[[:space:]]* || $1 == *[zZ]*[lL]*[eE]* ]] && { w=" ${1//[\'\"\\]/} "; [[ $w == *"()"* || $w == *function[[:space:]]* || $w == *[[:space:]\;\&\|\(\{]zle[[:space:]\;\&\|\)\}]* ]] && return 0; }
  # Typed inside a protected folder (`cd .vscode`, then `cat x > settings.json`), or a word that begins with a
  # parenthesis (zsh's `(.vscode|x)`, a subshell): asked.
  case $PWD/ in
    */.vscode/* | */.claude/* | */.cursor/* | */.codex/* | */.gemini/* | */.copilot/* | */.qwen/* | */.github/hooks/* | */Code/User/*) return 0 ;;
  esac
  [[ $1 == "("* || $1 == *[[:space:]\;\&\|]"("* ]] && return 0
  # Every pattern below needs one of these characters or words: a line with none (`ls -la`, `git status`) skips them.
  [[ $1 == *[\$\`!^\>./[:upper:]]* || $1 == *agent-guard* || $1 == *which* || $1 == *command* ]] &&
  case $1 in
    # A relative path that climbs (`data/../../gate/shim`) may reach the gate's folder: asked.
    *[[:space:]]"./"* | *"../"* | *"/.." | *"/.."[![:alnum:]]*) return 0 ;;
    *[\$\`!^]* | ">"* | *[\;\&\|\(\{]">"* | *[\;\&\|\(\{][[:space:]]">"* | *print*">"* | *echo*">"* | *true*">"* | *":"*">"* | *exec*">"* | */dev/* | *GLOBIGNORE* | *AGENT_GUARD* | *PATH=* | *BASH_ENV* | *PROMPT_COMMAND* | *ZDOTDIR* | *.vscode* | *.github/hooks* | *.claude* | *.cursor* | *.codex* | *.gemini* | *.copilot* | *.qwen* | *.env* | *QWEN_* | *CLAUDE_C* | *CODEX_HOME* | *COPILOT_HOME* | *GEMINI_CLI_* | *User/settings* | *User/keybindings* | *User/profiles/* | *Machine/settings* | *code-work* | *agent-guard* | *.bashrc* | *.bash_profile* | *.bash_login* | *.profile* | *.zshrc* | *.zshenv* | *.zprofile* | *.zlogin* | *.inputrc* | *bin/* | *which* | *command\ -v*) return 0 ;;
    # A glob or group before a folder's slash (`.vs*/settings.json`, zsh's `(.vscode|x)/…`) or in a word that begins
    # with a dot (`cp s.json .v?code`): it may name a protected file, whatever program is given it.
    *[][*?\(\{]*"/"* | *[[:space:]]"."*[][*?\(]*) return 0 ;;
  esac
  # A copy made of symbolic links (`cp -rs ~ mirror`) gives every file under its source a second name (guard.link-above).
  [[ $1 == *cp[[:space:]]*-* && $1 =~ (^|[[:space:]\;\&\|\(])cp[[:space:]]([^\;\&\|]*[[:space:]])?(-[[:alnum:]]*s|--symbolic-link) ]] && return 0
  [[ $1 == *[][*?\(\{\}\\]* ]] && { __agent_guard_has_word __agent_guard_ask_words "$1"; return; }
  # What __agent_guard_has_word does for such a line: quotes removed, each word's path and version stripped.
  w=${1//[\'\"]/}
  for w in ${w//[;&|)<>!=]/ }; do
    w=${w##*/}
    # An element or an append names its variable: `BASH_ALIASES[zz]=rm`, `histchars+=zq`.
    w=${w%%[[+]*}
    [[ -n $w && -n ${__agent_guard_ask_words[$w]-} ]] && return 0
    w=${w%%[0-9.]*}
    [[ -n $w && -n ${__agent_guard_ask_words[$w]-} ]] && return 0
  done
  return 1
}

# __agent_guard_names_guarded TEXT — true when TEXT names a guarded program (not merely an expansion).
__agent_guard_names_guarded() {
  __agent_guard_sync
  # Lists that could not be read (out of descriptors: `ulimit -n 4`; a missing file) name nothing, so every text is
  # taken to name a guarded program: an unreadable list never lets a command run unchecked.
  ((${#__agent_guard_guarded_words[@]})) || return 0
  __agent_guard_has_word __agent_guard_guarded_words "$1"
}

# __agent_guard_parent_is_starting_shell — true while an interactive shell's start-up files run (pyenv, nvm, rc
# scripts): the terminal sets AGENT_GUARD_STARTING and the interactive hook clears it at the first prompt. The parent
# must look like that shell: a shell with options only (no script, no -c, no -s).
__agent_guard_parent_is_starting_shell() {
  [[ -n ${AGENT_GUARD_STARTING-} ]] || return 1
  local args a
  if [[ -r /proc/$PPID/cmdline ]]; then
    args=$(tr '\0' ' ' </proc/$PPID/cmdline 2>/dev/null)
  else
    args=$(ps -o args= -p "$PPID" 2>/dev/null)
  fi
  local prog=${args%% *}
  prog=${prog##*/}
  prog=${prog#-}
  [[ $prog == bash || $prog == zsh || $prog == sh ]] || return 1
  local -a argv
  local i
  read -ra argv <<<"$args"
  for ((i = 1; i < ${#argv[@]}; i++)); do
    a=${argv[i]}
    case $a in
      --rcfile | --init-file | -o | +o) ((i++)) ;;
      --*) ;;
      -*c* | -*s*) return 1 ;;
      -* | +*) ;;
      *) return 1 ;;
    esac
  done
  return 0
}
