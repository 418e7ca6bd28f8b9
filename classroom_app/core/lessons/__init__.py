"""Lesson packs: the model, loading with validation, importing, and the library."""
