"""Parts every budget page shares: the page context and the demo data set for screenshots."""
