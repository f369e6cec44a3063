from django.urls import path

from fangkong.workforce import mine, public, responsibilities, views

urlpatterns = [
    path("areas/<areacode:code>/duty/", views.roster, name="duty_roster"),
    path("areas/<areacode:code>/duty/shifts/new/", views.shift_add, name="duty_shift_add"),
    path("areas/<areacode:code>/duty/copy/", views.roster_copy, name="duty_copy"),
    path("areas/<areacode:code>/duty/repeat/", views.roster_repeat, name="duty_repeat"),
    path("areas/<areacode:code>/duty/posts/", views.posts, name="duty_posts"),
    path("areas/<areacode:code>/duty/posts/new/", views.post_add, name="duty_post_add"),
    path("areas/<areacode:code>/duty/desk/", views.desk, name="duty_desk"),
    path("areas/<areacode:code>/duty/poster/", public.poster, name="duty_poster"),
    path("areas/<areacode:code>/holidays/", views.holidays, name="duty_holidays"),
    path("duty/shifts/<int:pk>/", views.shift, name="duty_shift"),
    path("duty/posts/<int:pk>/", views.post_edit, name="duty_post_edit"),
    path("duty/holidays/<int:pk>/remove/", views.holiday_remove, name="duty_holiday_remove"),
    path("duty/mine/", mine.my_shifts, name="my_shifts"),
    path("duty/mine/feed/renew/", mine.feed_renew, name="duty_feed_renew"),
    path("duty/feed/<str:token>.ics", public.feed, name="duty_feed"),
    path("duty/<areacode:code>/", public.duty_page, name="duty_public"),
    path(
        "areas/<areacode:code>/responsibilities/",
        responsibilities.responsibilities,
        name="responsibilities",
    ),
    path(
        "areas/<areacode:code>/responsibilities/print/",
        responsibilities.responsibilities_print,
        name="responsibilities_print",
    ),
    path("responsibilities/<int:pk>/", responsibilities.responsibility, name="responsibility"),
    path(
        "responsibilities/<int:pk>/remove/",
        responsibilities.responsibility_remove,
        name="responsibility_remove",
    ),
]
