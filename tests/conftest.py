"""The project's own tests. ``pytester`` drives the plugin the way a user's test would."""

pytest_plugins = ["pytester"]
