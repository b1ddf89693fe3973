"""Example gitspec plugin: the `risk` kind."""
