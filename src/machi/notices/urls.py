from django.urls import path

from machi.notices.views import public

app_name = "notices"

urlpatterns = [
    path("notices/", public.notice_list, name="list"),
    path("notices/archive/", public.archive, name="archive"),
    path("notices/<uuid:notice_id>/", public.notice_detail, name="detail"),
    path("notices/<uuid:notice_id>/files/<uuid:file_id>/", public.notice_file, name="file"),
]
