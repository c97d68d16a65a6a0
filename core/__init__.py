"""Core of the suite: data model, domain rules, sync engine, identity and audit.

Nothing here imports Qt, the web framework or ``apps``; a test enforces it.
"""
