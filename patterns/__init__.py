"""deckmine patterns package."""
