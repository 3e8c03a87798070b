"""A release plan, rendered for people. A pure function."""

from __future__ import annotations

from .apply import ReleaseOutcome
from .archive import BuiltArchive
from .finish import Recovery
from .plan import ReleasePlan


def render_plan(plan: ReleasePlan, done: bool = False) -> str:
    previous = plan.previous.version if plan.previous else "none"
    lines = [
        f"{'released' if done else 'release plan'}: {previous} -> {plan.new_version} (tag {plan.tag}, {plan.date})",
        f"required bump: {plan.required_bump}; chosen: {plan.bump}",
    ]
    lines += [f"  {reason}" for reason in plan.diff.reasons]
    lines += [f"note: {note}" for note in plan.notes]
    lines.append("files: " + ", ".join(sorted(plan.files)))
    if plan.blockers:
        lines.append("REFUSED:")
        lines += [f"- {blocker}" for blocker in plan.blockers]
    elif not done:
        lines.append("dry run: nothing written")
    return "\n".join(lines) + "\n"


def render_built(built: BuiltArchive) -> str:
    return "".join(f"wrote {item}\n" for item in built.outputs)


def render_recovery(recovery: Recovery) -> str:
    lines = [f"note: took over the lock of a release that had died: {who}" for who in recovery.taken_over]
    lines += [f"note: removed {item}, left by an interrupted process" for item in recovery.removed]
    journal = recovery.journal
    if journal and recovery.action == "finished":
        lines.append(
            f"finished release {journal.version}, which was interrupted after it was published "
            f"({journal.short_branch} at {journal.commit[:12]}, tag {journal.tag}): work tree, index and dist/ "
            "are now up to date"
        )
        lines += [f"wrote {path}" for path in recovery.published]
    elif journal and recovery.action == "discarded":
        lines.append(f"note: discarded release {journal.version}, which was interrupted before it was published")
    return "".join(line + "\n" for line in lines)


def render_outcome(outcome: ReleaseOutcome) -> str:
    text = render_recovery(outcome.recovery) if outcome.recovery else ""
    if outcome.plan is None:
        return text
    text += render_plan(outcome.plan, done=not outcome.dry_run)
    return text + "".join(f"wrote {path}\n" for path in outcome.published)
