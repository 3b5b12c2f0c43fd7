"""URLs of the designation-import pages; included at the site root."""

from django.urls import path

from . import import_views

app_name = "imports"

urlpatterns = [
    path("imports/", import_views.import_list, name="list"),
    path("imports/reviews/", import_views.review_queue, name="reviews"),
    path("imports/reviews/<int:pk>/decide/", import_views.review_decide, name="decide"),
]
