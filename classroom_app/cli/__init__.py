"""The ``classroom`` command line: one module per command group, no Qt."""
