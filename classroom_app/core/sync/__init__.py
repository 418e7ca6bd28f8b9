"""Sync: getting xAPI statements from the outbox to an LRS, over HTTP or a USB file."""
