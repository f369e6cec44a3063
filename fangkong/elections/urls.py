from django.urls import path

from fangkong.elections import slip_views, views, voter_views

urlpatterns = [
    path("elections/", views.election_list, name="election_list"),
    path("elections/new/", views.election_new, name="election_new"),
    path("elections/<int:pk>/", views.election_detail, name="election_detail"),
    path("elections/<int:pk>/edit/", views.election_edit, name="election_edit"),
    path("elections/<int:pk>/open/", views.election_open, name="election_open"),
    path("elections/<int:pk>/close/", views.election_close, name="election_close"),
    path("elections/<int:pk>/items/", views.election_item_add, name="election_item_add"),
    path("elections/<int:pk>/stations/new/", views.station_new, name="station_new"),
    path("elections/<int:pk>/counting/", views.election_counting, name="election_counting"),
    path("elections/<int:pk>/staff/new/", views.staff_new, name="election_staff_new"),
    path("elections/<int:pk>/roll/", voter_views.election_roll, name="election_roll"),
    path("elections/<int:pk>/allot/", voter_views.election_allot, name="election_allot"),
    path("elections/<int:pk>/voters/", voter_views.voter_list, name="voter_list"),
    path("elections/<int:pk>/slips/", voter_views.election_slips, name="election_slips"),
    path(
        "elections/<int:pk>/slips/send/",
        slip_views.election_slips_send,
        name="election_slips_send",
    ),
    path(
        "elections/<int:pk>/declarations/new/",
        voter_views.declaration_new,
        name="declaration_new",
    ),
    path(
        "election-items/<int:pk>/toggle/",
        views.election_item_toggle,
        name="election_item_toggle",
    ),
    path("polling-stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("polling-stations/<int:pk>/slots/", views.station_slots, name="station_slots"),
    path(
        "polling-stations/<int:pk>/disinfection/",
        views.station_disinfection,
        name="station_disinfection",
    ),
    path("voters/<int:pk>/", voter_views.voter_detail, name="voter_detail"),
    path("voters/<int:pk>/slip/", voter_views.voter_slip, name="voter_slip"),
    path("voters/<int:pk>/slot/", voter_views.voter_move, name="voter_move"),
    path("voters/<int:pk>/special/", voter_views.voter_special, name="voter_special"),
    path("voters/<int:pk>/proxy/", voter_views.voter_proxy, name="voter_proxy"),
    path(
        "voters/<int:pk>/proxy/revoke/",
        voter_views.voter_proxy_revoke,
        name="voter_proxy_revoke",
    ),
    path("declarations/", voter_views.declaration_list, name="declaration_list"),
    path("declarations/<int:pk>/", voter_views.declaration_detail, name="declaration_detail"),
    path(
        "declarations/<int:pk>/assess/",
        voter_views.declaration_assess,
        name="declaration_assess",
    ),
]
