"""Budget review and online supervision (预算联网监督): data model, code tables, importers, demo data."""
