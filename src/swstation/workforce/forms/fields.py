"""Form fields that pick social workers, for the apps above workforce (cases, projects): a
worker is labelled with their station, so that namesakes differ."""

from typing import Any

from django import forms

__all__ = ["WorkerChoiceField", "WorkersChoiceField", "worker_label"]


def worker_label(obj: Any) -> str:
    """A worker's label: name and station (王芳 · 慈城镇社工站), the name alone off a station."""
    station = getattr(obj, "station", None)
    return f"{obj.name} · {station.name}" if station is not None else str(obj.name)


class WorkerChoiceField(forms.ModelChoiceField):
    """A social worker labelled with their station, so that namesakes differ."""

    def label_from_instance(self, obj: Any) -> str:
        return worker_label(obj)


class WorkersChoiceField(forms.ModelMultipleChoiceField):
    """Several social workers (a project's team), labelled the same way."""

    def label_from_instance(self, obj: Any) -> str:
        return worker_label(obj)
