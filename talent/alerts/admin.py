"""The alerts in the admin: look up an address, its follows and what was sent to it. The
outbox is read-only (the sender owns it); stopping mail to an address is an action that
needs the permission to change subscribers."""

from __future__ import annotations

from django.contrib import admin, messages

from talent.alerts.models import Delivery, Follow, Subscriber
from talent.alerts.services import subscriber_suppress


class FollowInline(admin.TabularInline):
    model = Follow
    extra = 0
    fields = ["target", "organization", "team", "person", "from_org", "to_org", "kinds"]
    fields += ["frequency", "state", "created"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed_at", "suppressed_at", "suppressed_reason", "created"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "suppressed_at"]
    search_fields = ["email"]
    readonly_fields = ["created", "confirmation_sent_at", "suppressed_at", "suppressed_reason"]
    raw_id_fields = ["user"]
    inlines = [FollowInline]
    actions = ["suppress_selected"]

    @admin.action(
        description="Stop all mail to the selected addresses (bounce or complaint)",
        permissions=["change"],
    )
    def suppress_selected(self, request, queryset) -> None:
        for subscriber in queryset:
            subscriber_suppress(email=subscriber.email, reason=f"stopped by {request.user}")
        self.message_user(request, f"Stopped mail to {queryset.count()}.", messages.SUCCESS)


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "target", "__str__", "kinds", "frequency", "state", "created"]
    list_filter = ["target", "kinds", "frequency", "state"]
    search_fields = ["subscriber__email"]
    raw_id_fields = ["subscriber", "organization", "team", "person", "from_org", "to_org"]
    list_select_related = [
        "subscriber",
        "organization",
        "team__organization",
        "person",
        "from_org",
        "to_org",
    ]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "kind", "summary", "state", "attempts", "due_at", "sent_at"]
    list_filter = ["state", "kind", "frequency"]
    search_fields = ["subscriber__email", "message_id", "summary"]
    list_select_related = ["subscriber"]
    date_hierarchy = "created"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
