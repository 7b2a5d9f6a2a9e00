"""HTML views of the assistant, one module per area: the resident's chat (``chat``), the LINE
webhook (``line``) and the staff pages (``staff``). The JSON chat API is ``assistant.api``."""
