"""``python -m sync_shims.gunicorn``."""

from __future__ import annotations

import sys

from sync_shims.gunicorn._run import main

if __name__ == "__main__":
    sys.exit(main())
