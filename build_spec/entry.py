"""Entry point of the frozen program: the same `renda` command as the installed package."""

import sys

from apps.cli import main

if __name__ == "__main__":
    sys.exit(main())
