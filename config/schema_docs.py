"""The API schema's documentation pages (staff only, see config/urls.py).

Both are served under the site's Content-Security-Policy. Swagger UI needs no inline code when its
start-up script is fetched separately (drf-spectacular's split view); its page's few rules are in
static/css/api-docs.css and its icons are data: images (img-src data:). ReDoc styles itself with
injected <style> elements and runs its search in a blob: worker, so its page alone gets a relaxed
policy (style-src 'unsafe-inline', worker-src blob:, img-src data:) — see docs/operations.md.
ReDoc's "powered by" logo from cdn.redoc.ly stays blocked.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


@method_decorator(csp_update({"img-src": ["data:"]}), name="dispatch")  # its icons are data: SVGs in its CSS
class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api_docs/swagger_ui.html"


@method_decorator(
    csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"], "img-src": ["data:"]}),
    name="dispatch",
)
class RedocView(SpectacularRedocView):
    template_name = "api_docs/redoc.html"
