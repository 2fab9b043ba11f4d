import { describe, expect, it } from "vitest";
import { suggestChart } from "./index.js";

const col = (name: string, type = "") => ({ name, type });

describe("suggestChart", () => {
  it("draws a line for values over dates or periods", () => {
    expect(suggestChart({ columns: [col("month"), col("revenue")], rows: [["2024-01", 10], ["2024-02", 12.5]] })).toMatchObject({ type: "line", x: "month", y: ["revenue"] });
    expect(suggestChart({ columns: [col("year"), col("orders")], rows: [[2023, 5], [2024, 7]] })).toMatchObject({ type: "line", x: "year" });
  });

  it("splits a line into series by a category", () => {
    const spec = suggestChart({ columns: [col("day"), col("status"), col("n")], rows: [["2024-01-01", "paid", 3], ["2024-01-01", "unpaid", 1], ["2024-01-02", "paid", 2]] });
    expect(spec).toMatchObject({ type: "line", x: "day", y: ["n"], series: "status" });
  });

  it("draws bars for one category and numbers", () => {
    const rows = [["Acme", 900], ["Bolt", 700], ["Core", 650], ["Dune", 300], ["Edge", 200], ["Flux", 100], ["Gear", 50]];
    expect(suggestChart({ columns: [col("customer"), col("revenue")], rows })).toMatchObject({ type: "bar", x: "customer", y: ["revenue"] });
    expect(suggestChart({ columns: [col("customer_id"), col("name"), col("total")], rows: [[1, "a", 3], [2, "b", 4]] })).toMatchObject({ type: "bar", x: "name", y: ["total"] });
  });

  it("draws a pie for a few parts of a whole", () => {
    expect(suggestChart({ columns: [col("status"), col("invoices")], rows: [["paid", 120], ["unpaid", 50], ["cancelled", 30]] })).toMatchObject({ type: "pie", x: "status", y: ["invoices"] });
    expect(suggestChart({ columns: [col("region"), col("pct")], rows: [["north", 60], ["south", 40]] })).toMatchObject({ type: "pie" });
  });

  it("draws a scatter for two numbers", () => {
    expect(suggestChart({ columns: [col("price"), col("quantity")], rows: [[1, 2], [3, 4], [5, 1]] })).toMatchObject({ type: "scatter", x: "price", y: ["quantity"] });
  });

  it("draws nothing for a single value, no rows, text only or too many categories", () => {
    expect(suggestChart({ columns: [col("count(*)")], rows: [[42]] }).type).toBe("none");
    expect(suggestChart({ columns: [col("a"), col("b")], rows: [] }).type).toBe("none");
    expect(suggestChart({ columns: [col("name"), col("city")], rows: [["a", "b"], ["c", "d"]] }).type).toBe("none");
    const many = Array.from({ length: 80 }, (_, i) => [`p${i}`, i]);
    expect(suggestChart({ columns: [col("product"), col("sold")], rows: many })).toMatchObject({ type: "none", reason: expect.stringContaining("80") });
  });
});
