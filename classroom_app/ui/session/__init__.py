"""Dual-teacher sessions: launching, hosting and joining a live or recorded lesson."""
