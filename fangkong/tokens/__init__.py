"""API tokens: hashed, expiring, revoked when who the worker is or what they may do changes."""
