"""Letters and visits (信访): the clerks' desk and its commands."""
