"""Default Word templates of the retired cadres' documents (built by ``build_templates``)."""
