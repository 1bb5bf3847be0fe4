import sys

from aio.cli import main

sys.exit(main())
