"""信访: the clerks' desk."""
