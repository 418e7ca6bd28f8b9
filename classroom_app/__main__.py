"""``python -m classroom_app`` and the PyInstaller bundle both start the GUI here."""

import sys

from classroom_app.app import main

sys.exit(main())
