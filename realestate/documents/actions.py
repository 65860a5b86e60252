"""``Generate <kind>`` on a record's page, and on its list, for the record admins of each app.

A record admin lists the kinds it generates (``generated_kinds = ("sale_contract",)``):
each becomes a detail action ``generate_<kind>`` (a button with its confirmation, or the
kind's ``params_form``, such as a statement's period) and a list action
``generate_<kind>_selected``, which starts a batch of the selected rows (``batches``).
Whoever may see a record may generate its documents; a record out of scope answers 404 on
either path. After generating, the record's page opens with a link to the filed PDF.
(Not in an ``admin`` module: the apps' admins may not import another app's admin.)
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from unfold.decorators import action
from unfold.widgets import UnfoldAdminSelectWidget

from realestate.core.admin.forms import ConfirmForm, confirm
from realestate.core.workflow import StepRefused
from realestate.documents.batches import batch_start
from realestate.documents.choices import Language, TemplateKind
from realestate.documents.generation import document_generate
from realestate.documents.kinds import kind_for
from realestate.documents.models import DocumentTemplate
from realestate.documents.rendering import TemplateProblem


class GenerateDocumentsMixin:
    generated_kinds: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        kinds = cls.__dict__.get("generated_kinds", ())
        for kind in kinds:
            setattr(cls, f"generate_{kind}", _detail(kind))
            setattr(cls, f"generate_{kind}_selected", _bulk(kind))
        if kinds:
            cls.actions_detail = [
                *(cls.actions_detail or []),
                *(f"generate_{kind}" for kind in kinds),
            ]
            cls.actions = [*(cls.actions or []), *(f"generate_{kind}_selected" for kind in kinds)]

    def document_generated(self, request, record, version):
        """The message after generating: the filed PDF's link, version and checksum."""
        url = reverse("admin:documents_generationbatch_version", args=[version.pk])
        if version.generated_now:
            text = _("%(title)s generated: version %(number)s") % {
                "title": version.document.title,
                "number": version.number,
            }
        else:
            text = _("%(title)s is unchanged: version %(number)s is current") % {
                "title": version.document.title,
                "number": version.number,
            }
        self.message_user(
            request,
            format_html(
                '{} — <a href="{}" class="underline">{}</a> (SHA-256 {}…)',
                text,
                url,
                _("download the PDF"),
                version.sha256[:16],
            ),
            messages.SUCCESS,
        )


def _generate(model_admin, request, kind: str, object_id, form=None):
    record = model_admin.get_object(request, object_id)  # 404 out of scope
    data = form.cleaned_data if form is not None else {}
    params = {key: data[key] for key in ("start", "end") if key in data}
    language = data.get("language") or Language.ENGLISH
    try:
        version = document_generate(
            record=record, kind=kind, by=request.user, language=language, **params
        )
    except StepRefused as refusal:
        raise Http404(refusal.message) from None
    except (ValidationError, TemplateProblem) as error:
        message = " ".join(error.messages) if hasattr(error, "messages") else str(error)
        model_admin.message_user(request, message, messages.ERROR)
    else:
        model_admin.document_generated(request, record, version)
    url = reverse(
        f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
    )
    if request.headers.get("HX-Request"):  # unfold's dialogs post through htmx
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


def _detail(kind: str):
    spec_label = TemplateKind(kind).label

    def run(self, request, *args, object_id=None, **kwargs):
        form = args[0] if args else None
        return _generate(self, request, kind, object_id, form)

    run.__name__ = run.__qualname__ = f"generate_{kind}"
    title = _lazy("Generate %(kind)s") % {"kind": str(spec_label).lower()}
    dialog = confirm(
        title,
        _lazy("The PDF is made from the active template and filed with this record."),
        _lazy("Generate"),
        _dialog_form(kind),
    )
    return action(
        description=title,
        icon="picture_as_pdf",
        url_path=f"generate-{kind.replace('_', '-')}",
        dialog=dialog,
    )(run)


def _dialog_form(kind: str):
    """The dialog's form: the kind's params (a statement's period, ``params_form``) and,
    when the kind has active templates in more than one language, which one. Built when the
    dialog opens: the admins are imported before the apps register their kinds."""

    class GenerateForm:
        def __new__(cls, *args, **kwargs):
            return _generate_form(kind)(*args, **kwargs)

    return GenerateForm


@functools.cache
def _generate_form(kind: str):
    class GenerateForm(kind_for(kind).params_form or ConfirmForm):
        language = forms.ChoiceField(
            label=_lazy("Language"), required=False, widget=UnfoldAdminSelectWidget
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            active = set(
                DocumentTemplate.objects.filter(kind=kind, is_active=True).values_list(
                    "language", flat=True
                )
            )
            choices = [(value, label) for value, label in Language.choices if value in active]
            if len(choices) < 2:
                del self.fields["language"]  # nothing to choose: English
            else:
                self.fields["language"].choices = choices
                self.fields["language"].initial = Language.ENGLISH

    return GenerateForm


def _bulk(kind: str):
    def run(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        chosen = set(request.POST.getlist("_selected_action"))
        if not request.POST.get("select_across") and chosen != {str(pk) for pk in ids}:
            # A row the list does not show the user was posted: out of scope is missing.
            raise Http404(_("No such record, or not one you may see."))
        spec = kind_for(kind)
        description = _("%(count)s selected %(records)s") % {
            "count": len(ids),
            "records": self.model._meta.verbose_name_plural,
        }
        params = {}
        if spec.params_form is not None:  # its defaults (a statement: this year to date)
            form = spec.params_form(request)
            params = {
                name: str(form[name].initial) for name in form.fields if not name.startswith("_")
            }
            description += f" ({', '.join(params.values())})"
        try:
            batch = batch_start(
                kind=kind, record_ids=ids, description=description, by=request.user, params=params
            )
        except StepRefused as refusal:
            raise Http404(refusal.message) from None
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            _("%(kind)s: a batch of %(count)s is being generated.")
            % {"kind": spec.label, "count": len(ids)},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:documents_generationbatch_change", args=[batch.pk]))

    run.__name__ = run.__qualname__ = f"generate_{kind}_selected"
    label = TemplateKind(kind).label
    return action(
        description=_lazy("Generate %(kind)s (batch)") % {"kind": str(label).lower()},
        icon="picture_as_pdf",
    )(run)
