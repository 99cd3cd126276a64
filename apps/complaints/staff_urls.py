"""The staff API under /api/v1/staff/ (session authentication; the same isolation as the admin)."""

from django.urls import path

from apps.complaints.staff_api import StaffComplaintDetailView, StaffComplaintListView

urlpatterns = [
    path("complaints/", StaffComplaintListView.as_view(), name="staff-complaint-list"),
    path("complaints/<int:pk>/", StaffComplaintDetailView.as_view(), name="staff-complaint-detail"),
]
