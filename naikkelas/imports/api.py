"""/api/v1/imports/: start an import (multipart upload) and follow its progress.

The same service as the web flow queues the import as a background task; the detail answers with
the command's --json keys plus `id`, `status` and `progress`. Runs are read through
`visible_to(request.user)`, so another wilayah's import is 404.
"""

from django.utils.translation import gettext as _, gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.core.api import ApiSchema, EditorOrReadOnly, NaturalKeyLookup
from naikkelas.enterprises.models import MAX_YEAR, MIN_YEAR
from naikkelas.imports import services
from naikkelas.imports.models import ImportRun
from naikkelas.imports.services import ImportRefused

RESULT_KEYS = ("rows_read", "rows_imported", "rows_invalid", "created", "updated", "unchanged",
               "uncertain", "errors", "warnings", "legality")


class ImportStartSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy(".xlsx, .xls, .ods or .csv"))
    wilayah = serializers.CharField(help_text=gettext_lazy("Kode wilayah, e.g. 16.07"))
    tahun = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    dry_run = serializers.BooleanField(default=False)


class ImportRunSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text=gettext_lazy("queued, running, done, failed or undone"))
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
                  "failure", "started_at", "finished_at")

    def get_progress(self, run: ImportRun) -> dict[str, int]:
        done, total = run.progress()
        return {"done": done, "total": total}


@extend_schema_view(
    create=extend_schema(summary=gettext_lazy("Start an import"),
                         request={"multipart/form-data": ImportStartSerializer},
                         responses={202: ImportRunSerializer}),
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
        form = ImportStartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if not request.user.covers(data["wilayah"]):
            raise ValidationError({"wilayah": [_("This wilayah is outside yours.")]})
        path = services.keep_upload(data["file"])
        try:
            if data["dry_run"]:
                result = services.import_file(path, actor=request.user, wilayah=data["wilayah"],
                                              tahun=data["tahun"], dry_run=True)
                return Response(result.as_dict())
            run = services.queue_import(path, data["file"].name, actor=request.user,
                                        wilayah=data["wilayah"], tahun=data["tahun"],
                                        mapping={})
        except ImportRefused as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        finally:
            if data["dry_run"]:
                path.unlink(missing_ok=True)
        return Response(ImportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
