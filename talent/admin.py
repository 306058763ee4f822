from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from talent import merging, services
from talent.models import (
    Announcement,
    Merge,
    Move,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    PersonLink,
    Source,
    Stint,
    Team,
)
from talent.permissions import MERGE, REBUILD_MOVES, REVIEW


def _rebuild_moves_after_commit(person_ids: set[int]) -> None:
    # Admin edits write stints directly, so derived moves are rebuilt once the edit commits.
    transaction.on_commit(lambda: services.moves_rebuild(person_ids=person_ids))


class MergeActionMixin:
    """Admin action: merge the selected records into the one the curator picks."""

    merge_kind = ""

    def has_merge_permission(self, request) -> bool:
        return request.user.has_perm(MERGE)

    @admin.action(description="Merge selected into one…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        records = list(queryset)
        if len(records) < 2:
            self.message_user(request, "Select at least two to merge.", messages.WARNING)
            return None
        target_id = request.POST.get("merge_target")
        if request.POST.get("confirm") and target_id:
            target = next((r for r in records if str(r.pk) == target_id), None)
            if target is None:
                self.message_user(request, "Pick one of the selected records.", messages.ERROR)
                return None
            done = 0
            for source in records:
                if source.pk == target.pk:
                    continue
                try:
                    merging.merge(
                        kind=self.merge_kind, source=source, target=target, user=request.user
                    )
                    done += 1
                except merging.MergeError as exc:
                    self.message_user(request, f"{source}: {exc}", messages.ERROR)
            self.message_user(
                request,
                f"Merged {done} into {target}. Undo from Merges if needed.",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/talent/merge_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Merge {len(records)} records",
                "records": records,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )


class OrganizationAliasInline(admin.TabularInline):
    model = OrganizationAlias
    extra = 1


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ["name", "slug", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(MergeActionMixin, SimpleHistoryAdmin):
    merge_kind = "organization"
    actions = ["merge_selected"]
    list_display = ["name", "slug", "kind", "domain", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "domain", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [OrganizationAliasInline, TeamInline]


@admin.register(Team)
class TeamAdmin(MergeActionMixin, SimpleHistoryAdmin):
    merge_kind = "team"
    actions = ["merge_selected"]
    list_display = ["name", "organization", "parent"]
    list_filter = ["organization__kind"]
    search_fields = ["name", "slug", "organization__name"]
    list_select_related = ["organization", "parent"]
    autocomplete_fields = ["organization", "parent"]
    prepopulated_fields = {"slug": ["name"]}


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    extra = 1


class PersonLinkInline(admin.TabularInline):
    model = PersonLink
    extra = 0


class StintInline(admin.StackedInline):
    model = Stint
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["organization", "team", "manager"]
    fields = [
        ("organization", "team"),
        ("title", "manager", "is_founder"),
        ("start_date", "start_precision"),
        ("end_date", "end_precision"),
    ]
    show_change_link = True


@admin.register(Person)
class PersonAdmin(MergeActionMixin, SimpleHistoryAdmin):
    merge_kind = "person"
    actions = ["merge_selected"]
    list_display = ["name", "slug", "created"]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonAliasInline, PersonLinkInline, StintInline]

    def save_related(self, request: HttpRequest, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        _rebuild_moves_after_commit({form.instance.pk})


class SourceInline(admin.TabularInline):
    model = Source.stints.through
    extra = 1
    autocomplete_fields = ["source"]
    verbose_name = "source"
    verbose_name_plural = "sources"


@admin.register(Stint)
class StintAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organization", "team", "title", "start", "end"]
    list_filter = ["end_precision", "start_precision", "organization__kind", "is_founder"]
    search_fields = ["person__name", "organization__name", "title", "team__name"]
    list_select_related = ["person", "organization", "team"]
    autocomplete_fields = ["person", "organization", "team", "manager"]
    date_hierarchy = "start_date"
    inlines = [SourceInline]
    actions = ["rebuild_moves"]

    def save_model(self, request, obj, form, change) -> None:
        people = {obj.person_id}
        if change and "person" in form.changed_data:
            people.add(form.initial["person"])
        super().save_model(request, obj, form, change)
        _rebuild_moves_after_commit(people)

    def delete_model(self, request, obj) -> None:
        person_id = obj.person_id
        super().delete_model(request, obj)
        _rebuild_moves_after_commit({person_id})

    def delete_queryset(self, request, queryset) -> None:
        people = set(queryset.values_list("person_id", flat=True))
        super().delete_queryset(request, queryset)
        _rebuild_moves_after_commit(people)

    def has_rebuild_permission(self, request) -> bool:
        return request.user.has_perm(REBUILD_MOVES)

    @admin.action(
        description="Rebuild derived moves for the selected stints' people",
        permissions=["rebuild"],
    )
    def rebuild_moves(self, request, queryset) -> None:
        people = set(queryset.values_list("person_id", flat=True))
        count = services.moves_rebuild(person_ids=people)
        self.message_user(
            request, f"Rebuilt {count} moves for {len(people)} people.", messages.SUCCESS
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "publisher", "published_on", "first_seen"]
    list_filter = ["publisher"]
    search_fields = ["url", "title", "publisher", "evidence"]
    date_hierarchy = "first_seen"
    filter_horizontal = ["stints"]


@admin.register(Move)
class MoveAdmin(admin.ModelAdmin):
    """Read-only: moves are derived from stints."""

    list_display = ["person", "kind", "from_org", "to_org", "date", "date_precision"]
    list_filter = ["kind", "date_precision"]
    search_fields = ["person__name", "from_org__name", "to_org__name"]
    list_select_related = ["person", "from_org", "to_org"]
    date_hierarchy = "date"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"
    BANDS = {"high": (0.8, 1.01), "medium": (0.5, 0.8), "low": (0.0, 0.5)}

    def lookups(self, request, model_admin):
        return [("high", "0.8 and above"), ("medium", "0.5 to 0.8"), ("low", "below 0.5")]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        if band:
            return queryset.filter(confidence__gte=band[0], confidence__lt=band[1])
        return queryset


@admin.register(Announcement)
class AnnouncementAdmin(SimpleHistoryAdmin):
    list_display = [
        "person_name",
        "kind",
        "status",
        "from_org_name",
        "to_org_name",
        "title",
        "date",
        "confidence",
        "state",
        "source_count",
    ]
    list_filter = ["state", "kind", "status", ConfidenceFilter, "date_precision", "entries__feed"]
    search_fields = ["person_name", "from_org_name", "to_org_name", "title", "evidence"]
    date_hierarchy = "date"
    raw_id_fields = ["person", "from_org", "to_org", "team", "manager", "duplicate_of"]
    filter_horizontal = ["sources"]
    readonly_fields = [
        "created",
        "updated",
        "decided_by",
        "decided_at",
        "opened_stint",
        "closed_stint",
    ]
    actions = ["approve_selected", "reject_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_sources=Count("sources", distinct=True))

    @admin.display(description="sources", ordering="_sources")
    def source_count(self, announcement) -> int:
        return announcement._sources

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW)

    @admin.action(description="Approve selected (apply to careers)", permissions=["review"])
    def approve_selected(self, request, queryset) -> None:
        approved = 0
        for announcement in queryset.filter(state=Announcement.State.PENDING):
            try:
                services.announcement_apply(announcement=announcement, user=request.user)
                approved += 1
            except services.ConflictError as exc:
                self.message_user(
                    request, f"{announcement}: {'; '.join(exc.problems)}", messages.WARNING
                )
        self.message_user(request, f"Approved {approved}.", messages.SUCCESS)

    @admin.action(description="Reject selected (as not a move)", permissions=["review"])
    def reject_selected(self, request, queryset) -> None:
        count = 0
        for announcement in queryset.filter(state=Announcement.State.PENDING):
            services.announcement_reject(
                announcement=announcement,
                user=request.user,
                reason="not a move (rejected in the admin)",
            )
            count += 1
        self.message_user(request, f"Rejected {count}.", messages.SUCCESS)


@admin.register(Merge)
class MergeAdmin(admin.ModelAdmin):
    list_display = [
        "old_name",
        "kind",
        "old_slug",
        "target_id",
        "created",
        "created_by",
        "undone_at",
    ]
    list_filter = ["kind", "undone_at"]
    search_fields = ["old_name", "old_slug"]
    readonly_fields = [f.name for f in Merge._meta.fields]
    actions = ["undo_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_merge_permission(self, request) -> bool:
        return request.user.has_perm(MERGE)

    @admin.action(description="Undo selected merges", permissions=["merge"])
    def undo_selected(self, request, queryset) -> None:
        for record in queryset.filter(undone_at__isnull=True).order_by("-created"):
            try:
                merging.merge_undo(record=record)
                self.message_user(request, f"Restored {record.old_name}.", messages.SUCCESS)
            except merging.MergeError as exc:
                self.message_user(request, f"{record.old_name}: {exc}", messages.ERROR)


# The alerts' admin lives beside their code; importing it registers it.
from talent.alerts import admin as alerts_admin  # noqa: E402, F401
