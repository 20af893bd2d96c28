from django.urls import path

from declarations import views

urlpatterns = [
    path("", views.home, name="home"),
]
