"""Lessons on screen: the home screen, the lesson player and its steps, quizzes."""
