import pytest

from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan


@pytest.fixture
def world(world):
    """The shared world with nobody under monitoring yet, so each test counts its own plans."""
    Alert.all_objects.all().delete()
    HealthCheck.all_objects.all().delete()
    MonitoringPlan.all_objects.all().delete()
    return world
