"""The budget review app (预算联网监督): pages for queries, warnings, analysis, review and the work platforms."""
