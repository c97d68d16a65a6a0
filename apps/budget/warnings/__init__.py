"""The early-warning pages of the budget app: the warning inbox with follow-up, and the rules with thresholds."""
