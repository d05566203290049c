"""deckmine warehouse package."""
