"""The lists of programs, prospects and KUB groups as tables."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from naikkelas.enterprises.tables import NumberColumn
from naikkelas.programs.models import KubGroup, Program, Prospect



class BaseMeta:
    template_name = "django_tables2/naikkelas.html"
    # Sorting and paging links are boosted into #results; links to records are normal links.
    attrs = {"class": "table", "tbody": {"hx-boost": "false"}}


class ProgramTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Program"))
    program_type = tables.Column(verbose_name=_("Type"))
    organiser_level = tables.Column(verbose_name=_("Organiser"))
    kode_wilayah = tables.Column(verbose_name=_("Wilayah"), empty_values=())
    start_date = tables.DateColumn(verbose_name=_("Start"), format="d-m-Y")
    pagu = NumberColumn(verbose_name=_("Pagu (Rp)"))
    realisasi = NumberColumn(verbose_name=_("Realisasi (Rp)"), empty_values=(None,))
    participant_count = NumberColumn(verbose_name=_("Participants"))
    delivery_count = NumberColumn(verbose_name=_("Aid deliveries"))

    class Meta(BaseMeta):
        model = Program
        fields = ()
        sequence = ("name", "program_type", "organiser_level", "kode_wilayah", "start_date",
                    "pagu", "realisasi", "participant_count", "delivery_count")
        order_by = ("-start_date",)
        empty_text = _("No program matches these filters.")

    def render_kode_wilayah(self, value) -> str:
        return value or _("Pusat")


class ProspectTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    nik = tables.Column(verbose_name=_("NIK"), orderable=False)
    kecamatan = tables.Column(accessor="kecamatan__nama", verbose_name=_("Kecamatan"))
    business_idea = tables.Column(verbose_name=_("Planned business / product"))
    enterprise = tables.Column(verbose_name=_("Registered as"), linkify=True)

    class Meta(BaseMeta):
        model = Prospect
        fields = ()
        sequence = ("name", "nik", "kecamatan", "business_idea", "enterprise")
        order_by = ("name",)
        empty_text = _("No prospective entrepreneur matches these filters.")

    def render_nik(self, record) -> str:
        return record.nik_for(self.request.user)


class KubGroupTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("KUB group"))
    kecamatan = tables.Column(accessor="kecamatan__nama", verbose_name=_("Kecamatan"))
    chair = tables.Column(verbose_name=_("Chair"))
    member_count = NumberColumn(verbose_name=_("Members"))

    class Meta(BaseMeta):
        model = KubGroup
        fields = ()
        sequence = ("name", "kecamatan", "chair", "member_count")
        order_by = ("name",)
        empty_text = _("No KUB group matches these filters.")
