"""Progress and evaluation: the teacher's class view, a pupil's page, exports."""
