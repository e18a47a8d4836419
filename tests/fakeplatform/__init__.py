"""A fake of the platforms' APIs for tests: ``FakePlatform`` serves them on 127.0.0.1 over real HTTP,
``builders`` makes webhook deliveries exactly as Meta sends and signs them."""

from .server import DEFAULT_TOKEN, Call, FakePlatform

__all__ = ["DEFAULT_TOKEN", "Call", "FakePlatform"]
