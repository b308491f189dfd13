# Agent Guard's ZDOTDIR: forward to the person's own .zprofile.
[[ -r ${AGENT_GUARD_USER_ZDOTDIR:-$HOME}/.zprofile ]] && . "${AGENT_GUARD_USER_ZDOTDIR:-$HOME}/.zprofile"
