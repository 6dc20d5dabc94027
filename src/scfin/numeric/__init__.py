"""numeric layer."""
