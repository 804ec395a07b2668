"""/api/v1/imports/: start an import (multipart upload) and follow its progress.

The upload is checked by the web import's own form (UploadForm); the same service as the web flow
queues the import as a background task (a dry run answers its result at once). The detail answers
with the command's --json keys plus `id`, `status` and `progress`. Runs are read through
`visible_to(request.user)`, so another wilayah's import is 404.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.core.api import ApiSchema, EditorOrReadOnly, NaturalKeyLookup, form_errors
from naikkelas.enterprises.models import MAX_YEAR, MIN_YEAR
from naikkelas.imports import services
from naikkelas.imports.forms import UploadForm
from naikkelas.imports.models import ImportRun
from naikkelas.imports.services import ImportRefused

RESULT_KEYS = ("rows_read", "rows_imported", "rows_invalid", "created", "updated", "unchanged",
               "uncertain", "errors", "warnings", "legality")


class ImportStartSerializer(serializers.Serializer):
    """The spreadsheet, the wilayah and year it is about, and whether to only try it."""

    # `file`, `wilayah` and `tahun` are declared for the schema: the web import's own form
    # (UploadForm) checks them, so the file types, size limit, wilayah choices and years, and
    # their messages, are defined in one place.

    file = serializers.FileField(help_text=gettext_lazy(".xlsx, .xls, .ods or .csv"))
    wilayah = serializers.CharField(help_text=gettext_lazy(
        "Kode wilayah of a provinsi or kab/kota of yours (a kab/kota officer may also give a "
        "kecamatan), e.g. 16.07"))
    tahun = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    dry_run = serializers.BooleanField(default=False, help_text=gettext_lazy(
        "Check and count without writing anything: answers 200 with the result."))

    def to_internal_value(self, data) -> dict:
        request = self.context["request"]
        form = UploadForm(request.POST, request.FILES, user=request.user)
        errors = {} if form.is_valid() else form_errors(form)
        try:
            dry_run = self.fields["dry_run"].run_validation(self.fields["dry_run"].get_value(data))
        except ValidationError as exc:
            errors["dry_run"] = exc.detail
        if errors:
            raise ValidationError(errors)
        return {**form.cleaned_data, "dry_run": dry_run}


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(min_value=1)
    column = serializers.CharField(help_text=gettext_lazy("The column as headed in the file; "
                                                          "empty for the whole row."))
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    """What a dry run would do: the counts, every rejected row and the file's layout."""

    file = serializers.CharField()
    dry_run = serializers.BooleanField()
    rows_read, rows_imported, rows_invalid, created, updated, unchanged, uncertain = (
        serializers.IntegerField(min_value=0, label=ImportRun._meta.get_field(name).verbose_name)
        for name in ("rows_read", "rows_imported", "rows_invalid", "created", "updated",
                     "unchanged", "uncertain"))
    errors = RowErrorSerializer(many=True)
    unknown_columns = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "Headers that name no known field: their columns were not read."))
    warnings = serializers.ListField(child=serializers.CharField())
    header_row = serializers.IntegerField(min_value=0, help_text=gettext_lazy(
        "The row of the header, counted from 1."))
    sheet = serializers.CharField(help_text=gettext_lazy("The sheet read; empty for .csv."))
    import_run = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "Always null in a dry run: nothing was kept."))
    legality = serializers.DictField(child=serializers.IntegerField(min_value=0),
                                     help_text=gettext_lazy(
                                         "Cells read per legality column recognised."))


class ImportRunSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        help_text=gettext_lazy("queued, running, done, failed, undoing or undone"))
    file = serializers.CharField(source="file_name")
    wilayah = serializers.CharField(source="kode_wilayah")
    progress = serializers.SerializerMethodField()
    # Declared rather than derived from the model: a derived field's range is the database's
    # (64-bit on SQLite, 32-bit on PostgreSQL), and the committed schema must not depend on it.
    tahun = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, read_only=True)
    rows_read, rows_imported, rows_invalid, created, updated, unchanged, uncertain = (
        serializers.IntegerField(min_value=0, read_only=True, label=ImportRun._meta.get_field(name)
                                 .verbose_name)
        for name in ("rows_read", "rows_imported", "rows_invalid", "created", "updated",
                     "unchanged", "uncertain"))

    class Meta:
        model = ImportRun
        fields = ("id", "status", "progress", "file", "wilayah", "tahun", *RESULT_KEYS,
                  "failure", "started_at", "finished_at", "undo_refused")

    def get_progress(self, run: ImportRun) -> dict[str, int]:
        done, total = run.progress()
        return {"done": done, "total": total}


@extend_schema_view(
    create=extend_schema(summary=gettext_lazy("Start an import"),
                         request={"multipart/form-data": ImportStartSerializer},
                         responses={202: ImportRunSerializer, 200: ImportResultSerializer}),
    retrieve=extend_schema(summary=gettext_lazy("An import: its status, progress and result")),
)
class ImportViewSet(NaturalKeyLookup, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Spreadsheet imports into your wilayah."""

    lookup_value_regex = r"[^/]+"  # any id reaches the view (401 first), then a JSON 404
    lookup_pattern = r"[0-9]{1,18}"

    schema = ApiSchema()
    serializer_class = ImportRunSerializer
    permission_classes = [EditorOrReadOnly]
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return ImportRun.objects.visible_to(self.request.user).order_by("-id")

    def create(self, request: Request, *args, **kwargs) -> Response:
        start = ImportStartSerializer(data=request.data, context=self.get_serializer_context())
        start.is_valid(raise_exception=True)
        data = start.validated_data
        path = services.keep_upload(data["file"])
        try:
            if data["dry_run"]:
                result = services.import_file(path, actor=request.user, wilayah=data["wilayah"],
                                              tahun=data["tahun"], dry_run=True)
                return Response(ImportResultSerializer(result.as_dict()).data)
            run = services.queue_import(path, data["file"].name, actor=request.user,
                                        wilayah=data["wilayah"], tahun=data["tahun"],
                                        mapping={})
        except ImportRefused as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        finally:
            if data["dry_run"]:
                path.unlink(missing_ok=True)
        return Response(ImportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
