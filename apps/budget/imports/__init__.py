"""The budget app's data-links page: import a bureau's file, bureau links, district packages, import history."""
