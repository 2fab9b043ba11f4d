/** What the popup reads from the tab. */
export interface TabSnapshot {
  url: string;
  title: string;
  selection: string;
  text: string;
  contentType: string;
}

/** What is sent to askdb with a question, exactly as the popup shows it. */
export type PageContext = TabSnapshot;

/** askdb's default `extension.maxContextChars`; askdb trims again to its own setting. */
export const MAX_CONTEXT_CHARS = 4000;

/** The selection when there is one; else the title, the address and the main text, trimmed. */
export function contextToSend(tab: TabSnapshot, maxChars = MAX_CONTEXT_CHARS): PageContext {
  const selection = tab.selection.trim();
  if (selection) {
    return {
      url: tab.url,
      title: "",
      selection: selection.slice(0, maxChars),
      text: "",
      contentType: tab.contentType,
    };
  }
  const room = Math.max(0, maxChars - tab.title.length - tab.url.length);
  return {
    url: tab.url,
    title: tab.title,
    selection: "",
    text: tab.text.replace(/\s+/g, " ").trim().slice(0, room),
    contentType: tab.contentType,
  };
}

/** Runs inside the tab (chrome.scripting): it must not use anything outside itself. */
export function readPage(): TabSnapshot {
  const main = document.querySelector("main, article, [role=main]") ?? document.body;
  return {
    url: location.href,
    title: document.title,
    selection: String(getSelection() ?? ""),
    text: (main as HTMLElement).innerText ?? "",
    contentType: document.contentType,
  };
}
