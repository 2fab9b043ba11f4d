import { afterEach, describe, expect, it } from "vitest";
import type { Store } from "../store/index.js";
import { purgeConversations } from "../engine/index.js";
import { purgeRows } from "../store/index.js";
import {
  createRetentionSweeper,
  createSettings,
  describeRetention,
  parseRetention,
  type RetentionOwner,
  type SettingsService,
} from "./index.js";
import { createTempStores } from "./testing/temp-stores.js";

const stores = createTempStores();
afterEach(stores.cleanup);

const HOUR = 3_600_000;
const NOW = new Date("2026-06-15T12:00:00.000Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR).toISOString();

/** A question in history and a conversation with one message, all at `at`. */
function addQuestionAt(store: Store, id: string, at: string): void {
  store.db
    .prepare("INSERT INTO history (id, db_id, question, created_at) VALUES (?, 'db', 'how many?', ?)")
    .run(`hist_${id}`, at);
  store.db
    .prepare("INSERT INTO conversations (id, kind, created_at, updated_at) VALUES (?, 'query', ?, ?)")
    .run(`conv_${id}`, at, at);
  store.db
    .prepare(
      "INSERT INTO messages (id, conversation_id, role, content, created_at) VALUES (?, ?, 'user', 'hi', ?)",
    )
    .run(`msg_${id}`, `conv_${id}`, at);
}

function remaining(store: Store): { history: string[]; conversations: string[]; messages: string[] } {
  const ids = (table: string) =>
    store.db.prepare(`SELECT id FROM ${table} ORDER BY id`).pluck().all() as string[];
  return { history: ids("history"), conversations: ids("conversations"), messages: ids("messages") };
}

/** The owners askdb wires in: questions, cached answers and conversations each purge their own table. */
function ownersOf(store: Store): RetentionOwner[] {
  return [
    (cutoff) => ({ history: purgeRows(store, "history", "created_at", cutoff) }),
    (cutoff) => ({ cachedAnswers: purgeRows(store, "answer_cache", "created_at", cutoff) }),
    (cutoff) => purgeConversations(store, cutoff),
  ];
}

function setup(retention: string): {
  store: Store;
  settings: SettingsService;
  owners: RetentionOwner[];
  clock: { now: Date };
} {
  const store = stores.open();
  const settings = createSettings(store, { env: {} });
  settings.set("privacy.historyRetention", retention);
  return { store, settings, owners: ownersOf(store), clock: { now: NOW } };
}

describe("retention sweeper", () => {
  it("deletes history and conversations older than N days, keeping newer ones", () => {
    const { store, settings, owners, clock } = setup("2d");
    addQuestionAt(store, "old", hoursAgo(49));
    addQuestionAt(store, "new", hoursAgo(47));
    const sweeper = createRetentionSweeper({ store, settings, owners, clock: () => clock.now });
    expect(sweeper.sweepNow()).toEqual({
      history: 1,
      conversations: 1,
      messages: 1,
      cachedAnswers: 0,
      cutoff: hoursAgo(48),
    });
    expect(remaining(store)).toEqual({
      history: ["hist_new"],
      conversations: ["conv_new"],
      messages: ["msg_new"],
    });

    clock.now = new Date(NOW.getTime() + 2 * HOUR);
    expect(sweeper.sweepNow().history).toBe(1);
    expect(remaining(store).history).toEqual([]);
  });

  it("sweeps what keeps its own retention setting on the same schedule", () => {
    const { store, settings, owners } = setup("12h");
    let sweeps = 0;
    createRetentionSweeper({
      store,
      settings,
      owners,
      clock: () => NOW,
      alsoSweep: () => (sweeps += 1),
    }).sweepNow();
    expect(sweeps).toBe(1);
  });

  it("understands hours, and SQLite's own timestamp format", () => {
    const { store, settings, owners } = setup("12h");
    addQuestionAt(store, "a", "2026-06-14 23:00:00");
    addQuestionAt(store, "b", "2026-06-15 01:00:00");
    createRetentionSweeper({ store, settings, owners, clock: () => NOW }).sweepNow();
    expect(remaining(store).history).toEqual(["hist_b"]);
  });

  it("keeps a conversation that is still in use, while dropping its old messages", () => {
    const { store, settings, owners } = setup("1d");
    addQuestionAt(store, "c", hoursAgo(30));
    store.db.prepare("UPDATE conversations SET updated_at = ? WHERE id = 'conv_c'").run(hoursAgo(1));
    store.db
      .prepare(
        "INSERT INTO messages (id, conversation_id, role, content, created_at) VALUES ('msg_recent', 'conv_c', 'user', 'and now?', ?)",
      )
      .run(hoursAgo(1));
    const result = createRetentionSweeper({ store, settings, owners, clock: () => NOW }).sweepNow();
    expect(result).toMatchObject({ conversations: 0, messages: 1 });
    expect(remaining(store)).toMatchObject({ conversations: ["conv_c"], messages: ["msg_recent"] });
  });

  it("keeps only this session's records in session mode", () => {
    const { store, settings, owners, clock } = setup("session");
    addQuestionAt(store, "before", hoursAgo(0.1));
    const sweeper = createRetentionSweeper({ store, settings, owners, clock: () => clock.now });
    clock.now = new Date(NOW.getTime() + HOUR);
    addQuestionAt(store, "during", clock.now.toISOString());
    expect(sweeper.sweepNow()).toMatchObject({ history: 1, cutoff: NOW.toISOString() });
    expect(remaining(store).history).toEqual(["hist_during"]);
  });

  it("deletes nothing with forever", () => {
    const { store, settings, owners } = setup("forever");
    addQuestionAt(store, "ancient", "2001-01-01T00:00:00.000Z");
    expect(createRetentionSweeper({ store, settings, owners, clock: () => NOW }).sweepNow()).toMatchObject({
      history: 0,
      cutoff: null,
    });
    expect(remaining(store).history).toEqual(["hist_ancient"]);
  });

  it("sweeps at start and again as soon as the retention setting changes", () => {
    const { store, settings, owners } = setup("forever");
    addQuestionAt(store, "week_old", hoursAgo(24 * 7));
    addQuestionAt(store, "day_old", hoursAgo(24));
    const sweeper = createRetentionSweeper({
      store,
      settings,
      owners,
      clock: () => NOW,
      intervalMs: 3_600_000,
    });
    sweeper.start();
    expect(remaining(store).history).toHaveLength(2);
    settings.set("privacy.historyRetention", "3d");
    expect(remaining(store).history).toEqual(["hist_day_old"]);
    sweeper.stop();
    settings.set("privacy.historyRetention", "1h");
    expect(remaining(store).history).toEqual(["hist_day_old"]);
  });

  it("clears all history whatever the setting, including cached answers", () => {
    const { store, settings, owners } = setup("forever");
    addQuestionAt(store, "a", hoursAgo(1));
    addQuestionAt(store, "b", "not a date");
    store.db
      .prepare("INSERT INTO databases (id, path, name, added_at) VALUES ('db', '/x.sqlite', 'x', 'now')")
      .run();
    store.db
      .prepare("INSERT INTO answer_cache (key, db_id, answer_json, created_at) VALUES ('k', 'db', '{}', ?)")
      .run(hoursAgo(1));
    const result = createRetentionSweeper({ store, settings, owners, clock: () => NOW }).clearHistory();
    expect(result).toMatchObject({ history: 2, conversations: 2, messages: 2, cachedAnswers: 1 });
    expect(remaining(store)).toEqual({ history: [], conversations: [], messages: [] });
    expect(createRetentionSweeper({ store, settings, owners }).clearHistory().history).toBe(0);
  });

  it("parses retention periods", () => {
    expect(parseRetention("30d")).toEqual({ kind: "duration", milliseconds: 30 * 24 * HOUR, text: "30d" });
    expect(parseRetention("6h")).toMatchObject({ milliseconds: 6 * HOUR });
    expect(parseRetention("session")).toEqual({ kind: "session" });
    expect(() => parseRetention("0d")).toThrow(/not a retention period/);
    expect(describeRetention("1d")).toBe("1 day");
    expect(describeRetention("12h")).toBe("12 hours");
    expect(describeRetention("session")).toBe("for this session only");
  });
});
