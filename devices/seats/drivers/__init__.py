"""Built-in seat-terminal drivers; a vendor driver is one more module registered by name."""
