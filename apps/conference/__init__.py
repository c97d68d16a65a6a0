"""Meeting preparation for the presidium e-conference (会前准备): meetings, members, seats, cards, agenda."""
