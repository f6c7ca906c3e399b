import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { xmlText } from '../format.js';

// Vega-Lite spec -> static SVG, headless (no DOM, no canvas): the report must open anywhere, offline,
// with scripts disabled. Vega escapes the text it writes; the check below is the report's own guarantee.

const quiet = vega.logger(vega.Error);

const FONT = { font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };

/** Renders one chart. Throws when the SVG would carry anything active or remote. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile({ ...spec, config: { ...FONT, ...(spec.config ?? {}) } } as TopLevelSpec, {
    logger: quiet,
  }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    if (!isInert(svg)) throw new Error('chart SVG contains active or linked content');
    // Vega escapes markup in labels but passes control characters (an app named with an escape sequence)
    // through; XML allows none of them.
    return compactGeometry(xmlText(svg));
  } finally {
    view.finalize();
  }
}

/**
 * No script, no embedded document, no event handler, no link and no remote reference (xmlns names aside).
 * Only tags are scanned: Vega escapes < and > in text, so text may say anything.
 */
export function isInert(svg: string): boolean {
  for (const [tag] of svg.matchAll(/<[^>]*>/g)) {
    if (/^<\/?\s*(script|foreignObject|iframe|image|use)\b/i.test(tag)) return false;
    for (const [, name, value] of tag.matchAll(/\s([\w:-]+)\s*=\s*"([^"]*)"/g)) {
      if (name!.startsWith('xmlns')) continue;
      if (/^on|href$/i.test(name!) || /^\s*(https?:|javascript:|data:)/i.test(value!)) return false;
    }
  }
  return true;
}

/**
 * Vega writes coordinates with 15 digits; a hundredth of a pixel is plenty. Only geometry attributes are
 * touched, so labels and data values in text keep every digit.
 */
export function compactGeometry(svg: string): string {
  return svg.replace(
    / (d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g,
    (_m, name: string, value: string) => ` ${name}="${value.replace(/(\d+\.\d{2})\d+/g, '$1')}"`,
  );
}
