"""Offline-first sync: outbox and push with exactly-once mutations, field-level merge, commit-safe pull,
row scopes and masked columns, tombstones with compaction, per-scope checksums, attachments and bundles.

See ``docs/sync.md`` for the protocol.
"""
