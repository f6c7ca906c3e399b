import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

// Vega-Lite spec -> static SVG, headless (no DOM, no canvas): the report must open anywhere, offline,
// with scripts disabled. Vega escapes the text it writes; the check below is the report's own guarantee.

const quiet = vega.logger(vega.Error);

const FONT = { font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };

/** Renders one chart. Throws when the SVG would carry anything active or remote. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile({ ...spec, config: { ...FONT, ...(spec.config ?? {}) } } as TopLevelSpec, { logger: quiet }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    if (/<script|<foreignObject|\shref=|\son\w+=/i.test(svg)) throw new Error('chart SVG contains active or linked content');
    return svg;
  } finally {
    view.finalize();
  }
}
