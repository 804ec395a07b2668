"""The report as a PDF (WeasyPrint): a cover, the tables and the charts as inline SVG."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from weasyprint import HTML

from naikkelas.dashboard import svg
from naikkelas.dashboard.report import Report


def document(report: Report) -> bytes:
    charts = [mark_safe(svg.render(spec)) for spec in report.main.charts]  # our own markup
    html = render_to_string("dashboard/report_pdf.html", {
        "report": report, "charts": charts, "made": timezone.localtime()})
    return HTML(string=html).write_pdf()
