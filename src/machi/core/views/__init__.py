"""Views of the portal shell, one module per area: the home page and a resident's own pages
(``portal``), the staff home and resident register (``staff``), health checks (``health``) and
the error answers Django gives outside any view (``errors``)."""
