"""信访 clerks\x27 desk."""
