"""The form engine: declarative form definitions (JSON, ``machi-form/1``) and their rules.

Pure Python apart from translated messages: no database, no requests. The services feed it
answers and store what it returns; the views only render what it describes.

* :mod:`.definition` reads and checks a definition (what staff write in the admin).
* :mod:`.conditions` and :mod:`.expressions` evaluate show/require logic and computed values.
* :mod:`.fieldtypes` turns typed input into stored values and back into display text.
* :mod:`.engine` cleans a step or a whole set of answers, always on the server.
"""
