from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from vigil.records.models import Claim, IdentityNumber, Name, Person, Testifier, Testimony, TestimonyPerson


class NameInline(admin.TabularInline):
    model = Name
    extra = 0
    fields = ["text", "script", "kind", "romanized", "testimony", "document"]
    readonly_fields = ["romanized"]
    raw_id_fields = ["testimony", "document"]


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    fields = ["type", "date", "date_precision", "end_date", "facility", "place", "term_months", "testimony", "document"]
    raw_id_fields = ["testimony", "document", "facility", "place"]


class IdentityNumberInline(admin.TabularInline):
    model = IdentityNumber
    extra = 0
    fields = ["scheme", "value", "valid", "problem", "birth_date", "sex", "county_code"]
    readonly_fields = ["valid", "problem", "birth_date", "sex", "county_code"]


class CurrentStatusFilter(admin.SimpleListFilter):
    """Filter on the latest claim (the status is computed from claims, never typed in)."""

    title = "status (latest claim)"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return list(Claim.Type.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        from django.db.models import OuterRef, Subquery  # noqa: PLC0415

        latest = Claim.objects.filter(person=OuterRef("pk")).order_by("-date", "-id").values("type")[:1]
        return queryset.annotate(latest_claim=Subquery(latest)).filter(latest_claim=self.value())


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["id", "display_name", "sex", "birth_date", "birth_precision", "ethnicity", "hometown"]
    list_filter = [CurrentStatusFilter, "ethnicity", "sex", ("hometown", admin.RelatedOnlyFieldListFilter), ("claims__facility", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["names__text", "names__romanized", "ref"]
    inlines = [NameInline, IdentityNumberInline, ClaimInline]
    raw_id_fields = ["hometown"]
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = ["hometown"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("names")

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        qs, _dup = super().get_search_results(request, queryset, search_term)
        return qs.distinct(), False


@admin.register(Name)
class NameAdmin(admin.ModelAdmin):
    list_display = ["text", "script", "kind", "romanized", "person"]
    list_filter = ["script", "kind"]
    search_fields = ["text", "romanized"]
    raw_id_fields = ["person", "testimony", "document"]


class TestimonyPersonInline(admin.TabularInline):
    model = TestimonyPerson
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Testimony)
class TestimonyAdmin(admin.ModelAdmin):
    list_display = ["id", "ref", "date", "date_precision", "language", "medium", "consent", "created_at"]
    list_filter = ["consent", "medium", "language"]
    search_fields = ["ref"]  # summaries are encrypted: not searchable in SQL
    date_hierarchy = "date"
    raw_id_fields = ["testifier", "recorded_by"]
    inlines = [TestimonyPersonInline]


@admin.register(Testifier)
class TestifierAdmin(admin.ModelAdmin):
    # Lists show no names or contacts: only someone who opens one testifier sees them.
    list_display = ["id", "ref", "relation", "country", "created_at"]
    list_filter = ["country", "relation"]
    search_fields = ["ref"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["id", "person", "type", "date", "date_precision", "facility", "place", "testimony", "document"]
    list_filter = ["type", ("facility", admin.RelatedOnlyFieldListFilter)]
    raw_id_fields = ["person", "facility", "place", "testimony", "document"]
    date_hierarchy = "date"
