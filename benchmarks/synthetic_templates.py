"""Large synthetic launch templates for benchmarks (the shipped ones stop at ~70 tasks)."""

from __future__ import annotations

from pathlib import Path

PHASE_SPANS = {"pre-launch": (-120, -1), "launch": (0, 0), "post-launch": (1, 60)}


def write_template(directory: Path, key: str, task_count: int) -> Path:
    """A valid template of `task_count` tasks in chains of ten, across four teams."""
    teams = ["product", "marketing", "sales", "support"]
    lines = [
        f"key: {key}",
        f"name: Synthetic {task_count}",
        "version: 1",
        "roles: {pm: product, pmm: marketing, seller: sales, agent: support}",
        "phases:",
    ]
    per_phase = {"pre-launch": task_count * 6 // 10, "launch": task_count // 10}
    per_phase["post-launch"] = task_count - sum(per_phase.values())
    number = 0
    for phase, count in per_phase.items():
        lines.append(f"  {phase}:")
        first, last = PHASE_SPANS[phase]
        for index in range(count):
            day = first + (last - first) * index // max(count - 1, 1)
            owner = ["pm", "pmm", "seller", "agent"][number % 4]
            lines += [
                f"    - key: t{number}",
                f"      title: Task {number} for {teams[number % 4]}",
                f"      owner: {owner}",
                f"      due: {day:+d}d" if day else "      due: 0d",
            ]
            if index % 10:
                lines.append(f"      depends_on: [t{number - 1}]")
            number += 1
    path = directory / f"{key}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
