# ko: 셸이 먼저 찾는 kubectl이 어느 것인지 봅니다. 방금 ~/.local/bin에 설치한 것이어야 합니다.
# en: Which kubectl your shell runs first: it should be the one just installed in ~/.local/bin.
command -v kubectl
