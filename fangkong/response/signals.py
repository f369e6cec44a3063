"""What the response app tells other apps, which it never imports (checkpoints connect to it
in their `AppConfig.ready()`)."""

from django.dispatch import Signal

# Sent by `response_services.follow_level` inside the level change's transaction when a
# response starts, is raised or lowered (`level`: "medium"/"high") or ends (`level` None):
# sender=EmergencyResponse, response, place (its area or building), level, actor. A receiver
# that raises undoes the level change with everything else.
response_changed = Signal()
