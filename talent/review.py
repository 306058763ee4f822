"""The curators' review queue: decide on pending announcements fast, by keyboard or mouse.

Every action is a POST with CSRF that works without JavaScript (it redirects back to the
queue); with htmx the card is swapped for a one-line outcome and focus moves on.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from talent import queries, services
from talent.forms import AnnouncementEditForm, ApproveForm, DuplicateForm, RejectForm
from talent.http import wants_fragment
from talent.models import Announcement, Correction
from talent.permissions import REVIEW, requires

SKIPPED = "review_skipped"


def _get_pending_or_404(pk: int) -> Announcement:
    return get_object_or_404(Announcement, pk=pk)


def _pending_count() -> int:
    return Announcement.objects.filter(state=Announcement.State.PENDING).count()


def _outcome(
    request: HttpRequest,
    announcement: Announcement,
    text: str,
    *,
    error: str = "",
    decision: str = "",
) -> HttpResponse:
    """After a decision: with htmx the card's one-line outcome and the new pending count
    (out of band); without, back to the queue with the outcome as a message. A decision
    refused for a conflict keeps its card, with the reason and "apply anyway" in place."""
    if wants_fragment(request):
        if error:
            cards = queries.review_queue(only=[announcement.pk]).cards
            if cards:
                return render(
                    request,
                    "talent/review.html#card",
                    {"card": cards[0], "error": error, "total": _pending_count(), "oob": True},
                )
        return render(
            request,
            "talent/review.html#outcome",
            {
                "announcement": announcement,
                "text": text,
                "error": error,
                "decision": decision,
                "total": _pending_count(),
            },
        )
    if error:
        messages.error(request, f"{announcement}: not applied: {error}")
    else:
        messages.success(request, f"{announcement}: {text}")
    return redirect("talent:review")


@require_GET
@requires(REVIEW)
@vary_on_headers("HX-Request", "HX-Request-Type")
def queue(request: HttpRequest) -> HttpResponse:
    after = request.GET.get("after")
    page = queries.review_queue(skipped=request.session.get(SKIPPED, []), after=after)
    corrections = list(
        Correction.objects.filter(state=Correction.State.OPEN).select_related(
            "person", "organization"
        )[:20]
    )
    return render(
        request,
        "talent/review.html",
        {
            "cards": page.cards,
            "total": page.total,
            "next_cursor": page.next_cursor,
            "after": after,
            "corrections": corrections,
        },
    )


@require_POST
@requires(REVIEW)
def correction_decide(request: HttpRequest, pk: int, state: str) -> HttpResponse:
    correction = get_object_or_404(Correction, pk=pk, state=Correction.State.OPEN)
    correction.state = state
    correction.decided_by = request.user
    correction.save(update_fields=["state", "decided_by"])
    if wants_fragment(request):
        return HttpResponse(f'<li id="correction-{pk}" class="muted">{state}</li>')
    messages.success(request, f"Correction {state}.")
    return redirect("talent:review")


@require_POST
@requires(REVIEW)
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _get_pending_or_404(pk)
    form = ApproveForm(request.POST)
    force = form.is_valid() and form.cleaned_data["force"]
    try:
        if announcement.status == Announcement.Status.RUMOR:
            # Approving a rumor means it has since been confirmed.
            applied = services.rumor_settle(
                announcement=announcement, user=request.user, confirmed=True
            )
        else:
            applied = services.announcement_apply(
                announcement=announcement, user=request.user, force=force
            )
    except services.ConflictError as exc:
        return _outcome(request, announcement, "", error="; ".join(exc.problems))
    changes = getattr(applied, "changes", [])
    return _outcome(request, applied, f"approved: {'; '.join(changes)}", decision="approved")


@require_POST
@requires(REVIEW)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _get_pending_or_404(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _outcome(request, announcement, "", error="say why it is rejected")
    if announcement.status == Announcement.Status.RUMOR:
        services.rumor_settle(
            announcement=announcement,
            user=request.user,
            confirmed=False,
            reason=form.cleaned_data["reason"],
        )
    else:
        services.announcement_reject(
            announcement=announcement, user=request.user, reason=form.cleaned_data["reason"]
        )
    return _outcome(
        request, announcement, f"rejected: {form.cleaned_data['reason']}", decision="rejected"
    )


@require_POST
@requires(REVIEW)
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _get_pending_or_404(pk)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return _outcome(request, announcement, "", error="choose the announcement it repeats")
    try:
        services.announcement_mark_duplicate(
            announcement=announcement, original=form.cleaned_data["original"], user=request.user
        )
    except ValueError as exc:
        return _outcome(request, announcement, "", error=str(exc))
    return _outcome(
        request,
        announcement,
        f"duplicate of #{form.cleaned_data['original'].pk}",
        decision="duplicate",
    )


@require_POST
@requires(REVIEW)
def skip(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _get_pending_or_404(pk)
    skipped = [i for i in request.session.get(SKIPPED, []) if i != pk][-200:]
    request.session[SKIPPED] = [*skipped, pk]
    return _outcome(request, announcement, "skipped for now", decision="skipped")


@require_POST
@requires(REVIEW)
def bulk_approve(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("selected") if i.isdigit()]
    approved, held = 0, []
    for announcement in Announcement.objects.filter(pk__in=ids, state=Announcement.State.PENDING):
        try:
            services.announcement_apply(announcement=announcement, user=request.user)
            approved += 1
        except services.ConflictError as exc:
            held.append(f"{announcement}: {'; '.join(exc.problems)}")
    messages.success(request, f"Approved {approved}.")
    for problem in held:
        messages.warning(request, f"Held back, {problem}")
    return redirect("talent:review")


@vary_on_headers("HX-Request", "HX-Request-Type")
@requires(REVIEW)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _get_pending_or_404(pk)
    candidates = (
        queries.person_candidates(announcement.person_name) if not announcement.person_id else []
    )
    form = AnnouncementEditForm(request.POST or None, instance=announcement, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        form.save()
        if wants_fragment(request):
            cards = queries.review_queue(only=[pk]).cards
            card = cards[0] if cards else None
            return render(request, "talent/review.html#card", {"card": card})
        messages.success(request, f"Saved changes to {announcement}.")
        return redirect("talent:review")
    template = (
        "talent/review_edit.html#form" if wants_fragment(request) else "talent/review_edit.html"
    )
    return render(
        request,
        template,
        {"announcement": announcement, "form": form},
        status=422 if form.errors else 200,
    )
