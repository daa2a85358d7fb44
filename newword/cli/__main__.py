"""python -m newword.cli: the newword command."""

import sys

from newword.cli import main

sys.exit(main())
