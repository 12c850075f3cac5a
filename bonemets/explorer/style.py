"""The explorer's stylesheet: one ``<style>`` block, every rule scoped by the ``bm-`` class prefix.

Colours of alerts and urgency come from :mod:`bonemets.views`. Two modes change the look of the
whole app by a class on its root: ``bm-projector`` (large type, high contrast, for a room) and
``bm-class-mode`` (statuses hidden until the class has predicted them).
"""

from __future__ import annotations

from ..views import ALERT_COLOURS, URGENCY_COLOURS, ink, rgba


def _palette_css() -> str:
    """CSS rules that colour alerts and urgency badges as :mod:`bonemets.views` says."""
    alerts = (("critical", "critical"), ("warning", "warning"), ("info", "info"), ("open", "undetermined"),
              ("none", "not_raised"))
    rules = [f".bm-alert-{cls} {{ border-left-color: {ALERT_COLOURS[state]}; "
             f"background: {rgba(ALERT_COLOURS[state], 0.12)}; }}" for cls, state in alerts]
    rules += [f".bm-urgency-{u} {{ background: {URGENCY_COLOURS[u]}; color: {ink(URGENCY_COLOURS[u])}; }}"
              for u in ("soon", "emergency")]
    return "\n".join(rules) + "\n"


_BASE = """
.bm-app { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 13px; color: #1f2328; }
.bm-app .widget-html-content, .bm-app .widget-html { line-height: 1.4; }
.bm-header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; margin: 2px 0; }
.bm-header .bm-title { font-size: 18px; font-weight: 700; white-space: nowrap; }
.bm-banner { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 2px 8px; font-size: 12px; }
.bm-muted { color: #57606a; }
.bm-message { min-height: 0; }
.bm-error { background: #ffebe9; border: 1px solid #cf222e; color: #82071e; border-radius: 6px; padding: 4px 8px; }
.bm-invalid input, .bm-invalid select { border-color: #cf222e !important; background: #ffebe9 !important; }
.bm-alerts { margin-bottom: 6px; }
.bm-alerts ol { margin: 2px 0 2px 20px; padding: 0; }
.bm-alert { border-left: 5px solid #57606a; background: #f6f8fa; border-radius: 4px; padding: 6px 10px; margin: 4px 0; }
.bm-alert ul { margin: 2px 0 2px 18px; padding: 0; }
.bm-section { margin: 8px 0 4px 0; font-size: 15px; border-bottom: 1px solid #d0d7de; }
.bm-summary { margin: 4px 0 6px 0; }
.bm-chip { display: inline-block; color: #fff; border-radius: 10px; padding: 1px 8px; margin: 0 4px 2px 0;
           font-size: 12px; }
.bm-group { margin: 4px 0 8px 0; }
.bm-group > summary, .bm-why > summary { cursor: pointer; color: #0969da; font-size: 12px; }
.bm-family { border: 1px solid #d0d7de; border-left: 6px solid #8c959f; border-radius: 6px; padding: 6px 8px;
             margin: 6px 0; background: #fafbfc; }
.bm-family > .bm-card-head { font-size: 14px; }
.bm-purpose h4 { margin: 8px 0 2px 0; font-size: 13px; }
.bm-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 6px; margin-top: 4px; }
.bm-card { border: 1px solid #d0d7de; border-left: 5px solid #8c959f; border-radius: 6px; padding: 4px 8px;
           background: #fff; }
.bm-card-head { margin-bottom: 2px; }
.bm-badge { display: inline-block; color: #fff; border-radius: 4px; padding: 0 6px; font-size: 11px;
            text-transform: uppercase; letter-spacing: .02em; }
.bm-urgency { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 11px; text-transform: uppercase; }
.bm-pending { margin: 2px 0 2px 16px; padding: 0; color: #6e4b00; }
.bm-short { margin: 1px 0; }
.bm-reasons, .bm-sources { margin: 2px 0 2px 16px; padding: 0; font-size: 12px; }
.bm-excerpt { color: #57606a; }
.bm-teaching h3 { margin: 4px 0; }
.bm-narrative { max-width: 900px; }
.bm-table { border-collapse: collapse; margin: 4px 0; }
.bm-table th, .bm-table td { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; vertical-align: top; }
.bm-table tr.bm-diff td, .bm-table tr.bm-diff th { background: #fff8c5; font-weight: 600; }
.bm-app .bm-figure, .bm-app .bm-compare-figure { overflow-x: auto !important; }
.bm-compare-cols { display: flex; flex-wrap: wrap; gap: 24px; }
.bm-compare-cols > div { flex: 1 1 340px; min-width: 0; }
.bm-yaml pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; max-width: 700px; }
.bm-download { font-weight: 600; }
.bm-controls .widget-label { font-size: 12px; }
.bm-app .bm-scroll { max-height: 78vh; overflow-y: auto !important; }
.bm-controls .widget-toggle-buttons { display: flex; align-items: center; margin: 2px 0; }
.bm-controls .widget-toggle-buttons > .widget-label { text-align: right; margin-right: 8px; flex-shrink: 0; }
.bm-controls .widget-toggle-buttons .widget-toggle-button { font-size: 11px; padding: 0 4px; }
.bm-class-intro { margin: 4px 0; }
.bm-class-row { border-bottom: 1px solid #d0d7de; padding: 4px 0; }
.bm-app .bm-class-panel > *, .bm-app .bm-class-row > * { flex-shrink: 0; }
.bm-class-name b { font-size: 14px; }
.bm-class-score { font-size: 16px; font-weight: 700; margin: 6px 0; }
.bm-verdict-right { color: #1a7f37; font-weight: 700; }
.bm-verdict-wrong { color: #cf222e; font-weight: 700; }
"""

#: Projector mode: large type and high contrast (black on white, thick borders, no faint greys).
_PROJECTOR = """
.bm-app.bm-projector { font-size: 20px; color: #000; background: #fff;
  --jp-widgets-font-size: 20px; --jp-widgets-inline-height: 38px; --jp-widgets-color: #000;
  --jp-widgets-label-color: #000; --jp-widgets-input-border-color: #000; }
.bm-projector .bm-header .bm-title { font-size: 28px; }
.bm-projector .bm-banner { font-size: 16px; background: #fff; border: 2px solid #000; color: #000; }
.bm-projector .bm-muted, .bm-projector .bm-excerpt, .bm-projector .bm-pending { color: #000; }
.bm-projector .bm-section { font-size: 26px; border-bottom: 3px solid #000; }
.bm-projector .bm-purpose h4, .bm-projector .bm-family > .bm-card-head { font-size: 22px; }
.bm-projector .bm-alert { border-left-width: 10px; background: #fff; border: 2px solid #000; }
.bm-projector .bm-card, .bm-projector .bm-family { border: 2px solid #000; border-left-width: 10px; background: #fff; }
.bm-projector .bm-badge, .bm-projector .bm-urgency, .bm-projector .bm-chip { font-size: 17px; padding: 1px 8px;
  border: 1px solid #000; }
.bm-projector .bm-reasons, .bm-projector .bm-sources, .bm-projector .bm-group > summary,
.bm-projector .bm-why > summary { font-size: 18px; }
.bm-projector .bm-group > summary, .bm-projector .bm-why > summary, .bm-projector a { color: #003d99; }
.bm-projector .bm-grid { grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 10px; }
.bm-projector .bm-controls .widget-label { font-size: 17px; }
.bm-projector .bm-class-name b { font-size: 22px; }
.bm-projector .bm-clear, .bm-projector .bm-projector-toggle, .bm-projector .bm-class-toggle,
.bm-projector .bm-reveal, .bm-projector .bm-again { width: auto !important; min-width: 120px; }
.bm-projector .bm-controls .widget-toggle-button { font-size: 15px; }
.bm-projector .bm-case-picker > .widget-label { width: auto !important; }
.bm-projector .bm-predict { width: 230px !important; }
.bm-projector .bm-class-score { font-size: 28px; }
"""

#: The stylesheet of the explorer's HTML.
CSS = "<style>" + _BASE + _PROJECTOR + _palette_css() + "</style>\n"
