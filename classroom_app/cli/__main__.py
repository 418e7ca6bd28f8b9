"""``python -m classroom_app.cli``: the same as the ``classroom`` command."""

import sys

from classroom_app.cli.main import main

sys.exit(main())
