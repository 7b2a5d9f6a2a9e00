"""The channels messages leave by: one sender per channel (``registry.sender_for``)."""
