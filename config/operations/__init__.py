"""Running Uppsikt in production: request ids and JSON logs, security headers, readiness and metrics.

Nothing here holds a business rule; these are the parts an IT department's monitoring talks to
(`/healthz`, `/readyz`, `/metrics`, the log stream) and the headers every response carries.
"""
