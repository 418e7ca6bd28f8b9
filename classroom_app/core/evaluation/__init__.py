"""Comprehensive-quality evaluation: hours against the yearly requirement and UNESCO AI
competencies with their evidence, computed from xAPI statements alone, so the same code
runs on one PC (a class) and on the hub (a school or a district)."""
