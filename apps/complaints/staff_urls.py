"""The staff API under /api/v1/staff/ (session authentication; the same isolation as the admin)."""

urlpatterns: list = []
