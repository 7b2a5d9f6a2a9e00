"""Every write to the open data catalog goes through these modules."""
