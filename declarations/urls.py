from django.urls import path

from declarations import views

urlpatterns = [
    path("", views.home, name="home"),
    path("declarations/<int:pk>/", views.declaration_detail, name="declaration_detail"),
    path(
        "declarations/<int:pk>/export/<str:fmt>/",
        views.declaration_export,
        name="declaration_export",
    ),
    path("exports/", views.bulk_export, name="bulk_export"),
]
