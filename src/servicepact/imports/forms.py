"""The upload form: the contract, the tool, the export, the mapping (a file, or one shipped with servicepact),
and whether it is a dry run."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from servicepact.contracts.models import Contract
from servicepact.imports.mapping import (
    MAX_MAPPING_BYTES,
    TOOLS,
    Mapping,
    MappingError,
    load_mapping,
)

EXAMPLES = Path(__file__).resolve().parent / "examples"
# A larger export is imported with the command line: the page checks the file while the person waits.
MAX_UPLOAD_BYTES = 256 * 1024**2
TOOL_LABELS = {"servicenow": _("ServiceNow"), "jira": _("Jira Service Management"), "csv": _("CSV")}


def shipped_mappings() -> dict[str, Path]:
    return {path.stem: path for path in sorted(EXAMPLES.glob("*.yaml"))}


class ImportForm(forms.Form):
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=Contract.objects.none(), empty_label=None)
    tool = forms.ChoiceField(label=_("Source"), choices=[(tool, TOOL_LABELS[tool]) for tool in TOOLS])
    file = forms.FileField(label=_("Export"), help_text=_("A CSV or JSON file, or a zip archive holding one."))
    mapping_file = forms.FileField(
        label=_("Mapping (YAML)"),
        required=False,
        help_text=_("How the export's values read as the contract's; see the documentation."),
    )
    example = forms.ChoiceField(label=_("or a mapping shipped with servicepact"), required=False)
    dry_run = forms.BooleanField(label=_("Dry run: check and report, change nothing"), required=False, initial=True)

    def __init__(self, *args, contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts if contracts is not None else Contract.objects.none()
        self.fields["example"].choices = [("", _("none"))] + [(name, name) for name in shipped_mappings()]
        self.mapping: Mapping | None = None

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MiB; import it with the command line.")
                % {"limit": MAX_UPLOAD_BYTES // 1024**2}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, example = cleaned.get("mapping_file"), cleaned.get("example")
        if upload is None and not example:
            self.add_error("mapping_file", _("Upload a mapping or choose one shipped with servicepact."))
            return cleaned
        if upload is not None and upload.size > MAX_MAPPING_BYTES:
            self.add_error(
                "mapping_file", _("The mapping is larger than %(limit)d KiB.") % {"limit": MAX_MAPPING_BYTES // 1024}
            )
            return cleaned
        name = upload.name if upload is not None else f"{example}.yaml"
        text = upload.read() if upload is not None else shipped_mappings()[example].read_bytes()
        try:
            self.mapping = load_mapping(text, name)
        except MappingError as error:
            field = "mapping_file" if upload is not None else "example"
            for diagnostic in error.diagnostics[:20]:
                self.add_error(field, str(diagnostic))
            return cleaned
        tool = cleaned.get("tool")
        if tool and tool != self.mapping.doc.source.tool:
            self.add_error(
                "tool",
                _("The mapping is for %(mapping)s exports, not %(tool)s.")
                % {"mapping": self.mapping.doc.source.tool, "tool": tool},
            )
        return cleaned


@contextmanager
def uploaded_path(upload: UploadedFile) -> Iterator[Path]:
    """A path on disk holding the upload (Django keeps large uploads in a temporary file already)."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    suffix = Path(upload.name).suffix[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as stream:
        for chunk in upload.chunks():
            stream.write(chunk)
        stream.flush()
        yield Path(stream.name)
