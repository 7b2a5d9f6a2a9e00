"""The Celery app. Broker and backend come from settings (REDIS_URL)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machi.config.settings")

app = Celery("machi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
