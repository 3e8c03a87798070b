"""A release plan, rendered for people. A pure function."""

from __future__ import annotations

from .archive import BuiltArchive
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
    return "".join(f"wrote {item}\n" for item in (built.zip_path, built.tar_path, built.manifest_path))
