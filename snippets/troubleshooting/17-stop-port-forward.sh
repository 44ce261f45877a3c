# Stop just that one (Ctrl+C in its own terminal does the same)
kill "${PID:?set PID to a number from the list above}"
