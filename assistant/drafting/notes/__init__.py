"""Meeting notes → a checked, stored meeting record (loader, extract, patterns, counts, refine, record, store)."""
