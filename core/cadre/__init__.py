"""Retired cadres (老干部): records, care work, reminders and statistics."""
