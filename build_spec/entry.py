"""Entry point of the frozen program: the same `renda` command as the installed package."""

import multiprocessing
import sys

from apps.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a second process (a large import's checks) starts as this program
    sys.exit(main())
