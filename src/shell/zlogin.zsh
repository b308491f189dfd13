# Agent Guard's ZDOTDIR: forward to the person's own .zlogin.
[[ -r ${AGENT_GUARD_USER_ZDOTDIR:-$HOME}/.zlogin ]] && . "${AGENT_GUARD_USER_ZDOTDIR:-$HOME}/.zlogin"
