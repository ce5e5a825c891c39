/// <reference lib="dom" />
import type { Page } from 'playwright-core';

/**
 * People read words, not the program's codes (issue 18): what no screen or e-mail may show — a message key or status
 * code shown raw ("status.partially_paid"), a validator's text ("must match pattern", "^…$"), an "(s)" plural, or a
 * program value — each with what it is. The every-screen crawl reads every screen with it; the no-raw-codes test
 * reads screens after bad input and every e-mail.
 */
const RAW: Array<[RegExp, string]> = [
  [/\b[a-z]+\.[a-z]+_[a-z_]+\b/, 'a raw code'],
  [/must match pattern|\^\S+\$/, 'a validator’s pattern'],
  [/\(s\)/, 'an "(s)" plural'],
  [/\bundefined\b|\bNaN\b|\[object Object\]/, 'a program value'],
];

/** The lines of `text` that show something raw; addresses (links, with their tokens) are not words and are left out. */
export function rawTextIn(text: string): string[] {
  const found: string[] = [];
  for (const line of text.replace(/https?:\/\/\S+/g, ' ').split('\n')) {
    for (const [pattern, what] of RAW) {
      const match = pattern.exec(line);
      if (match) found.push(`${what}: "${match[0]}" in "${line.trim().slice(0, 120)}"`);
    }
  }
  return found;
}

/** Everything a person may read or hear of a page: its text, its title, and its labels, titles and options. */
function wordsOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    // The rendered text, line by line, as a person sees it (textContent would run hidden parts and lines together).
    // biome-ignore lint/performance/useDomNodeTextContent: see above
    const parts = [document.title, document.body.innerText];
    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) parts.push(element.getAttribute(name) ?? '');
    }
    for (const option of document.querySelectorAll('option')) parts.push(option.textContent ?? '');
    return parts.join('\n');
  });
}

/** What the page shows raw, each problem prefixed with where it was seen. */
export async function rawWordsOn(page: Page, where: string): Promise<string[]> {
  return rawTextIn(await wordsOf(page)).map((problem) => `${where}: ${problem}`);
}
