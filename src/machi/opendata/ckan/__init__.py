"""The CKAN-compatible Action API (CKAN 2.11 behaviour): actions, dictionaries, errors."""
