"""Offline classroom toolkit for AI general education."""
