"""Permission matrix for the statistics for the annual report: the page, its CSV and PDF, and the API.
Every role may open it (moderators for their own units' channels only: tests/test_statistics.py);
a signed-in user without a role may not."""

from tests.matrix import ALL_ROLES, Case

CASES = [
    Case("statistics page", "/statistik/?year=2025&quarter=2", ALL_ROLES),
    Case("statistics csv", "/statistik/statistik.csv?year=2025", ALL_ROLES),
    Case("statistics pdf", "/statistik/statistik.pdf?year=2025&quarter=4", ALL_ROLES),
    Case("api statistics", "/api/v1/statistics/?year=2025", ALL_ROLES, anonymous=403),
    Case("statistics page post", "/statistik/?year=2025", (), ok=405, method="post", denied=405,
         anonymous=405),
]
