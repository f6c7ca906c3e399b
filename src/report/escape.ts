import { xmlText } from '../format.js';

/** Text from the store made safe inside the page's HTML: XML-legal characters, markup characters as entities. */
export function esc(text: string): string {
  return xmlText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
