"""The AI shelf's shell: the demo window, its session and the widgets demos share."""
