"""deckmine pipeline package."""
