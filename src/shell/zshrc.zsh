# Agent Guard's ZDOTDIR: load the person's own zsh start-up files, then the gate.
# AGENT_GUARD_USER_ZDOTDIR is the ZDOTDIR the terminal had before Agent Guard (or $HOME).
__agent_guard_home=${AGENT_GUARD_USER_ZDOTDIR:-$HOME}
[[ -r $__agent_guard_home/.zshrc ]] && ZDOTDIR=$__agent_guard_home . "$__agent_guard_home/.zshrc"
. "$AGENT_GUARD_DIR/interactive.zsh"
