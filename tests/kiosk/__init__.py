"""Tests of the kiosk runtime (no Qt)."""
