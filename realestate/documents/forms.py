"""The upload forms: several files at once on a record's Documents tab, one signed copy of a
contract or a lease. The files themselves are checked one by one by ``document_upload``, so
that each refusal is shown against its own file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from unfold.widgets import (
    UnfoldAdminFileFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextInputWidget,
)

from realestate.documents.checks import ACCEPT
from realestate.documents.choices import DocumentKind

#: Kinds a user picks for an upload (a signed contract comes through "Upload signed copy").
UPLOAD_KINDS = [
    (value, label) for value, label in DocumentKind.choices if value != DocumentKind.SIGNED_CONTRACT
]
#: The most files one upload takes (each is checked and scanned in the request).
MAX_FILES = 20


class MultipleFileInput(forms.FileInput):
    """The browser's own file input, which says how many files were chosen."""

    allow_multiple_selected = True
    template_name = "documents/widgets/multiple_file.html"

    def __init__(self, attrs=None):
        classes = (
            "block border border-base-200 rounded-default shadow-xs px-3 py-2 w-full "
            "max-w-2xl dark:border-base-700"
        )
        super().__init__({"class": classes, **(attrs or {})})


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Upload at most %(count)s files at once.") % {"count": MAX_FILES}
            )
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class DateInput(UnfoldAdminTextInputWidget):
    input_type = "date"


class DocumentUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        widget=MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}),
        help_text=_("PDF, JPEG, PNG, WebP, Word (.docx) or Excel (.xlsx); choose several."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=UPLOAD_KINDS, widget=UnfoldAdminSelectWidget)
    title = forms.CharField(
        label=_("Title"),
        max_length=160,
        required=False,
        widget=UnfoldAdminTextInputWidget,
        help_text=_(
            "Empty: each file's name. A title the record already has for this kind adds a "
            "new version of that document."
        ),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput,
        help_text=_("For ID and passport scans: the client's page flags them once expired."),
    )

    def __init__(self, *args, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        if document is not None:
            # A new version of one document: its kind and title stay; one file.
            del self.fields["kind"], self.fields["title"]
            self.fields["files"].widget.attrs.pop("multiple", None)
            self.fields["files"].help_text = _("The new version of “%(title)s”.") % {
                "title": document.title
            }
            self.fields["expires_on"].initial = document.expires_on

    def titles(self, files) -> list[str]:
        """The title each file is filed under."""
        title = self.cleaned_data.get("title", "").strip()
        if not title or len(files) == 1:
            return [title] * len(files)
        return [f"{title}: {file.name.rsplit('.', 1)[0]}" for file in files]


class SignedCopyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed copy"),
        widget=UnfoldAdminFileFieldWidget(attrs={"accept": ACCEPT}),
        help_text=_("The scan of the signed document (PDF or an image)."),
    )
