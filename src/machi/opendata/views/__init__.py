"""Views of the open data portal, one module per area: the public pages (``portal``), the staff
pages (``staff``), DCAT documents (``dcat``) and the CKAN-compatible Action API and file
validator, JSON without DRF (``api``)."""
