"""HTML views of the plan, one module per area: the public progress pages (``public``) and
the plan office for staff and the committee (``office``)."""
