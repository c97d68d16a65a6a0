"""Qt desktop apps, the central server and the command line of the suite."""
