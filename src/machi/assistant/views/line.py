"""The LINE webhook: verify the signature first (401 otherwise, nothing stored), store the
events and answer 200 at once. The answers and LINE replies are sent from a task
(``machi.assistant.services.line_events``), so a slow or unreachable LINE API never holds
the webhook, and a redelivered event is answered only once."""

from __future__ import annotations

import json
import logging

from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from machi.assistant import line
from machi.assistant.models import LineChannel
from machi.assistant.services.line_events import line_events_receive
from machi.core.tenant_request import MunicipalRequest

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def webhook(request: MunicipalRequest) -> HttpResponse:
    channel = LineChannel.objects.filter(municipality=request.municipality, is_active=True).first()
    if channel is None:
        raise Http404
    body = request.body
    if not line.signature_valid(
        channel.channel_secret, body, request.headers.get("X-Line-Signature", "")
    ):
        return HttpResponse("invalid signature", status=401, content_type="text/plain")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return HttpResponse("invalid body: not JSON", status=400, content_type="text/plain")
    receipt = line_events_receive(
        municipality=request.municipality,
        portal_url=request.build_absolute_uri("/").rstrip("/"),
        events=payload.get("events") if isinstance(payload, dict) else None,
    )
    logger.info("LINE webhook for %s: %s", request.municipality.code, receipt)
    return HttpResponse("ok", content_type="text/plain")
