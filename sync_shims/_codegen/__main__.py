"""``python -m sync_shims._codegen [--check]`` (placeholder)."""

import sys

sys.exit(0)
