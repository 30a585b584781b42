import pytest

from vigil.places.models import Place, PlaceName
from vigil.places.services import places_load


@pytest.mark.django_db
def test_places_load_is_idempotent_and_keeps_history(admin_user):
    """Loading twice creates nothing new; a reused code keeps each name with its years."""
    created = places_load(actor=admin_user)
    assert created == Place.objects.count() > 100
    assert places_load(actor=admin_user) == 0
    dabancheng = Place.objects.get(code="650107")
    assert dabancheng.name_zh == "达坂城区" and dabancheng.parent.code == "650100"
    assert list(dabancheng.names.values_list("text", "valid_from", "valid_to")) == [("南山矿区", 1983, 1998), ("南泉区", 1999, 2001), ("达坂城区", 2002, None)]
    assert PlaceName.objects.filter(place__code="654021", text="伊宁县").exists()
    assert Place.objects.get(code="654021").parent.code == "654000"
