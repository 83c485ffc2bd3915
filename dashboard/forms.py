"""Form base class for dashboard forms: Bootstrap classes on widgets, and the caller's context
(self.ctx) for choices that depend on who asks (projects, roles...)."""

from django import forms


class DashboardForm(forms.Form):
    def __init__(self, *args, ctx=None, **kwargs):
        self.ctx = ctx
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def is_valid(self):
        valid = super().is_valid()
        self.mark_invalid()
        return valid

    def mark_invalid(self):
        """Bootstrap's is-invalid on every field with an error (also errors added after validation)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    widget.attrs["class"] = " ".join(classes + ["is-invalid"])
