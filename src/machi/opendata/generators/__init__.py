"""Open data by design (オープンデータ・バイ・デザイン): datasets machi generates itself.

An app that keeps data worth publishing (the catalog, the DX plan, later shelters,
facilities and events) writes a :class:`~machi.opendata.generators.base.Generator` and
registers it in its ``AppConfig.ready()`` with
:func:`machi.opendata.generators.registry.register`. :mod:`.publishing` keeps every
generated dataset current: daily (Celery beat), on ``manage.py opendata_generate``, and
only adding a resource version when the content changed.
"""
