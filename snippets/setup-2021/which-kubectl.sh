# Which kubectl your shell runs first: it should be the one just installed in ~/.local/bin.
command -v kubectl
