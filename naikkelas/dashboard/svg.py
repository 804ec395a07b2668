"""Charts for the PDF as inline SVG, drawn from the same chart specifications plotly.js draws
on the dashboard (plotly's static export needs a browser)."""

from html import escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 70, 70, 30
COLOURS = ("#1f5f99", "#d9822b", "#2e8b57", "#8e44ad")


def _short(value: float) -> str:
    """Axis labels: 1,2 M (miliar), 3,4 jt (juta), 5,6 rb (ribu)."""
    for size, suffix in ((10**12, " T"), (10**9, " M"), (10**6, " jt"), (10**3, " rb")):
        if abs(value) >= size:
            return f"{value / size:.1f}{suffix}".replace(".", ",")
    return f"{value:.0f}"


def render(spec: dict) -> str:
    """An <svg> element for a 'bar' or 'line' chart spec (see charts.chart)."""
    x, series = spec["x"], spec["series"]
    top = max([v for s in series for v in s["y"]] + [1])
    plot_w, plot_h = WIDTH - LEFT - 10, HEIGHT - BOTTOM - TOP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="10">',
             f'<text x="{LEFT}" y="16" font-size="12" font-weight="bold">'
             f'{escape(spec["title"])}</text>']
    for tick in range(5):
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#ddd"/><text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">'
                     f'{_short(top * tick / 4)}</text>')
    step = plot_w / max(len(x), 1)
    for n, s in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        parts += (_bars if spec["kind"] == "bar" else _line)(s["y"], n, len(series), step, top,
                                                            plot_h, colour)
        parts.append(f'<text x="{LEFT + 120 * n}" y="{HEIGHT - 6}" fill="{colour}">'
                     f'■ {escape(s["name"])}</text>')
    for i, label in enumerate(x):
        cx = LEFT + step * (i + 0.5)
        parts.append(f'<text x="{cx:.1f}" y="{TOP + plot_h + 12}" text-anchor="end" '
                     f'transform="rotate(-30 {cx:.1f} {TOP + plot_h + 12})">'
                     f'{escape(label[:24])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bars(values, n, count, step, top, plot_h, colour) -> list[str]:
    width = step * 0.8 / count
    out = []
    for i, value in enumerate(values):
        h = plot_h * value / top
        x = LEFT + step * i + step * 0.1 + width * n
        out.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{width:.1f}" '
                   f'height="{h:.1f}" fill="{colour}"/>')
    return out


def _line(values, n, count, step, top, plot_h, colour) -> list[str]:
    points = " ".join(f"{LEFT + step * (i + 0.5):.1f},{TOP + plot_h - plot_h * v / top:.1f}"
                      for i, v in enumerate(values))
    return [f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>']
