"""`python -m deckmine` is the `deckmine` command."""

import sys

from deckmine.pipeline.cli import main

sys.exit(main())
