import { contextToSend, readPage, type PageContext } from "./page-context.js";

interface Answer {
  sql: string;
  columns: Array<{ name: string }>;
  rows: unknown[][];
  source: string;
  timings: { totalMs: number };
}

interface ErrorBody {
  error?: { message: string; hint?: string };
}

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const serverInput = element<HTMLInputElement>("server");
const usePage = element<HTMLInputElement>("use-page");
const errorBox = element<HTMLParagraphElement>("error");
let pageContext: PageContext | undefined;

async function stored(): Promise<{ server?: string; credential?: string }> {
  return (await chrome.storage.local.get(["server", "credential"])) as {
    server?: string;
    credential?: string;
  };
}

async function call<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${serverInput.value.replace(/\/$/, "")}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as T & ErrorBody;
  if (!response.ok) {
    throw new Error(
      [json.error?.message, json.error?.hint].filter(Boolean).join(" — ") || String(response.status),
    );
  }
  return json;
}

function showError(error: unknown): void {
  errorBox.textContent = error instanceof Error ? error.message : String(error);
  errorBox.hidden = false;
}

async function pair(): Promise<void> {
  const { credential } = await call<{ credential: string }>("/api/extension/pair", {
    code: element<HTMLInputElement>("code").value,
    extensionOrigin: location.origin,
    browser: browserName(),
  });
  await chrome.storage.local.set({ server: serverInput.value, credential });
  element("paired").hidden = false;
}

function browserName(): string {
  const agent = navigator.userAgent;
  if (agent.includes("Edg/")) return "edge";
  if (agent.includes("Firefox/")) return "firefox";
  return agent.includes("Chrome/") ? "chrome" : "other";
}

/** The tab the person is looking at: the active one that is not this popup. */
async function activeTabId(): Promise<number> {
  const tabs = await chrome.tabs.query({ active: true });
  const tab = tabs.find((candidate) => !candidate.url?.startsWith(location.origin));
  if (tab?.id === undefined) throw new Error("no page to read: open the page and try again");
  return tab.id;
}

async function refreshPreview(): Promise<void> {
  pageContext = undefined;
  element("preview-box").hidden = !usePage.checked;
  if (!usePage.checked) return;
  const [{ result }] = await chrome.scripting.executeScript({
    target: { tabId: await activeTabId() },
    func: readPage,
  });
  pageContext = contextToSend(result);
  element("preview").textContent = JSON.stringify(pageContext, null, 2);
}

async function ask(): Promise<void> {
  errorBox.hidden = true;
  const { credential = "" } = await stored();
  const tabs = await chrome.tabs.query({});
  const answer = await call<Answer>(
    "/query",
    { question: element<HTMLTextAreaElement>("question").value, ...(pageContext ? { pageContext } : {}) },
    { "X-Askdb-Credential": credential, "X-Askdb-Tabs": String(tabs.length) },
  );
  showAnswer(answer);
}

function showAnswer(answer: Answer): void {
  element("source").textContent = answer.source;
  element("timings").textContent = `${Math.round(answer.timings.totalMs)} ms`;
  element("sql").textContent = answer.sql;
  const table = element<HTMLTableElement>("rows");
  table.replaceChildren(
    row(
      "th",
      answer.columns.map((column) => column.name),
    ),
    ...answer.rows.map((cells) => row("td", cells)),
  );
  element("answer").hidden = false;
}

function row(cell: "th" | "td", values: unknown[]): HTMLTableRowElement {
  const tr = document.createElement("tr");
  for (const value of values) {
    const td = document.createElement(cell);
    td.textContent = value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
    tr.append(td);
  }
  return tr;
}

const run = (action: () => Promise<void>) => () => void action().catch(showError);

void stored().then(({ server, credential }) => {
  if (server) serverInput.value = server;
  element("paired").hidden = !credential;
});
element("pair").addEventListener("click", run(pair));
usePage.addEventListener("change", run(refreshPreview));
element<HTMLFormElement>("ask-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run(ask)();
});
