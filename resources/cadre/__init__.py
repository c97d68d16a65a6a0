"""Files of the retired cadres' system (default document templates)."""
