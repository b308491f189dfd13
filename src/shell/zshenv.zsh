# Agent Guard's ZDOTDIR: forward to the person's own .zshenv.
[[ -r ${AGENT_GUARD_USER_ZDOTDIR:-$HOME}/.zshenv ]] && . "${AGENT_GUARD_USER_ZDOTDIR:-$HOME}/.zshenv"
