"""亀山市 demo catalog: groups, datasets and their CSV files (fictional data).

``catalog`` describes what ``manage.py load_opendata_demo`` loads; the CSV files are in
``data/`` and are made by ``python -m machi.opendata.demo.build``.
"""
