from django.urls import path

from fangkong.notices import public, views

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("areas/<areacode:code>/notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/publish/", views.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("notices/<int:pk>/poster/", public.notice_poster, name="notice_poster"),
    path("notice-board/<areacode:code>/", public.notice_board, name="notice_board"),
    path("notice-board/<areacode:code>/atom/", public.NoticeFeed(), name="notice_feed"),
    path("notice-board/<areacode:code>/rss/", public.NoticeRssFeed(), name="notice_rss"),
]
