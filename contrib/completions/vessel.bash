# bash completion for vessel: the binary lists its own commands and flags
# (urfave/cli's --generate-bash-completion). Install as
# /usr/share/bash-completion/completions/vessel.
_vessel() {
	local cur words
	cur=${COMP_WORDS[COMP_CWORD]}
	if [[ $cur == -* ]]; then
		words=$("${COMP_WORDS[@]:0:$COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
	else
		words=$("${COMP_WORDS[@]:0:$COMP_CWORD}" --generate-bash-completion 2>/dev/null)
	fi
	mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -o default -F _vessel vessel
