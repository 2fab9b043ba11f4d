import { describe, expect, it } from "vitest";
import type { SqlValue } from "../guard/index.js";
import { suggestChart } from "./index.js";

const chartOf = (names: string[], rows: SqlValue[][]) =>
  suggestChart({ columns: names.map((name) => ({ name, type: "" })), rows });

describe("suggestChart", () => {
  it("draws a line for values over dates or periods", () => {
    const monthly = chartOf(
      ["month", "revenue"],
      [
        ["2024-01", 10],
        ["2024-02", 12.5],
      ],
    );
    expect(monthly).toMatchObject({ type: "line", x: "month", y: ["revenue"] });
    expect(
      chartOf(
        ["year", "orders"],
        [
          [2023, 5],
          [2024, 7],
        ],
      ),
    ).toMatchObject({ type: "line", x: "year" });
  });

  it("splits a line into series by a category", () => {
    const rows = [
      ["2024-01-01", "paid", 3],
      ["2024-01-01", "unpaid", 1],
      ["2024-01-02", "paid", 2],
    ];
    expect(chartOf(["day", "status", "n"], rows)).toMatchObject({
      type: "line",
      x: "day",
      y: ["n"],
      series: "status",
    });
  });

  it("draws bars for one category and numbers", () => {
    const rows = [
      ["Acme", 900],
      ["Bolt", 700],
      ["Core", 650],
      ["Dune", 300],
      ["Edge", 200],
      ["Flux", 100],
      ["Gear", 50],
    ];
    expect(chartOf(["customer", "revenue"], rows)).toMatchObject({
      type: "bar",
      x: "customer",
      y: ["revenue"],
    });
    const withId = chartOf(
      ["customer_id", "name", "total"],
      [
        [1, "a", 3],
        [2, "b", 4],
      ],
    );
    expect(withId).toMatchObject({ type: "bar", x: "name", y: ["total"] });
  });

  it("draws a pie for a few parts of a whole", () => {
    const byStatus = chartOf(
      ["status", "invoices"],
      [
        ["paid", 120],
        ["unpaid", 50],
        ["cancelled", 30],
      ],
    );
    expect(byStatus).toMatchObject({ type: "pie", x: "status", y: ["invoices"] });
    expect(
      chartOf(
        ["region", "pct"],
        [
          ["north", 60],
          ["south", 40],
        ],
      ),
    ).toMatchObject({ type: "pie" });
  });

  it("draws a scatter for two numbers", () => {
    const spec = chartOf(
      ["price", "quantity"],
      [
        [1, 2],
        [3, 4],
        [5, 1],
      ],
    );
    expect(spec).toMatchObject({ type: "scatter", x: "price", y: ["quantity"] });
  });

  it("draws nothing for a single value, no rows, text only or too many categories", () => {
    expect(chartOf(["count(*)"], [[42]]).type).toBe("none");
    expect(chartOf(["a", "b"], []).type).toBe("none");
    expect(
      chartOf(
        ["name", "city"],
        [
          ["a", "b"],
          ["c", "d"],
        ],
      ).type,
    ).toBe("none");
    const many = Array.from({ length: 80 }, (_, i) => [`p${i}`, i]);
    expect(chartOf(["product", "sold"], many)).toMatchObject({
      type: "none",
      reason: expect.stringContaining("80"),
    });
  });
});
