"""Tests of the presidium hall kiosk: its conference runtime and its faces."""
