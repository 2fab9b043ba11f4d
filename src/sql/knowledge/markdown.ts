export interface MarkdownSection {
  /** The heading path, e.g. "Invoices > Overdue". Empty when the text has no heading. */
  title: string;
  /** The heading line and the text under it. */
  text: string;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/**
 * Splits markdown into one section per heading (of any level), so retrieval can hand the model
 * the one rule it needs rather than a whole file. Headings inside code fences are text.
 */
export function splitMarkdownByHeading(markdown: string, documentTitle = ""): MarkdownSection[] {
  const sections: MarkdownSection[] = [];
  const path: string[] = [];
  let lines: string[] = [];
  let title = documentTitle;
  let inFence = false;

  const flush = (): void => {
    const text = lines.join("\n").trim();
    const hasBody = text.split("\n").some((line) => line.trim() !== "" && !HEADING.test(line));
    if (hasBody) sections.push({ title, text });
    lines = [];
  };

  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading) {
      flush();
      const level = heading[1].length;
      path.length = Math.min(path.length, level - 1);
      path[level - 1] = heading[2];
      title = [documentTitle, ...path.filter(Boolean)].filter(Boolean).join(" > ");
    }
    lines.push(line);
  }
  flush();
  return sections;
}
