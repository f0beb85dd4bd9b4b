"""The quote wall: the quote search and what the wall shows (cards, CSV, proposals, moderation)."""
