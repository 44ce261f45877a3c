# ko: 그 하나만 멈춥니다(해당 터미널에서 Ctrl+C를 눌러도 같음)
# en: Stop just that one (Ctrl+C in its own terminal does the same)
kill "${PID:?set PID to a number from the list above}"
