import { describe, expect, it } from "vitest";
import { contextToSend } from "./page-context.js";

const tab = {
  url: "http://127.0.0.1/prices",
  title: "Price list",
  selection: "",
  text: "Ravi   Traders\n price list " + "x".repeat(100),
  contentType: "text/html",
};

describe("the context the popup sends", () => {
  it("sends only the selection (with the address) when there is one", () => {
    expect(contextToSend({ ...tab, selection: "  Ravi Traders " })).toEqual({
      url: tab.url,
      title: "",
      selection: "Ravi Traders",
      text: "",
      contentType: "text/html",
    });
  });

  it("else the title, the address and the main text, trimmed to the limit", () => {
    const sent = contextToSend(tab, 60);
    expect(sent.text.startsWith("Ravi Traders price list")).toBe(true);
    expect(sent.title.length + sent.url.length + sent.text.length).toBe(60);
  });
});
