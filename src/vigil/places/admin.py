from django.contrib import admin

from vigil.places.models import Facility, Place, PlaceName


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 0


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "pinyin", "level", "valid_from", "valid_to"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "pinyin", "names__text"]
    inlines = [PlaceNameInline]
    raw_id_fields = ["parent"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "county", "latitude", "longitude"]
    list_filter = ["type"]
    search_fields = ["name", "other_names", "county__name_zh", "county__pinyin"]
    autocomplete_fields = ["county"]
