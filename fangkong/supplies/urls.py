from django.urls import path

from fangkong.supplies import views

urlpatterns = [
    path("supplies/", views.stock_list, name="stock_list"),
    path("supplies/export/", views.stock_export, name="stock_export"),
    path("supplies/minimum/", views.stock_minimum, name="stock_minimum"),
    path("supplies/stocks/<int:pk>/", views.stock_detail, name="stock_detail"),
    path("supplies/movements/", views.movement_list, name="movement_list"),
    path("supplies/movements/new/", views.movement_new, name="movement_new"),
    path("supplies/movements/<int:pk>/", views.movement_detail, name="movement_detail"),
    path("supplies/movements/<int:pk>/reverse/", views.movement_reverse, name="movement_reverse"),
    path("areas/<areacode:code>/supplies/", views.supplies_summary, name="supplies_summary"),
]
