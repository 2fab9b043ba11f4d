import { describe, expect, it } from "vitest";
import { SpeedMeter } from "./speed.js";

describe("SpeedMeter", () => {
  it("averages over its window and forgets older samples", () => {
    const meter = new SpeedMeter(5000);
    expect(meter.bytesPerSecond()).toBe(0);
    meter.add(0, 0);
    meter.add(1_000_000, 1000);
    expect(meter.bytesPerSecond()).toBe(1_000_000);
    meter.add(3_000_000, 2000);
    expect(meter.bytesPerSecond()).toBe(1_500_000);
    // After a slow spell beyond the window only the recent rate counts.
    for (let t = 3000; t <= 12_000; t += 1000) meter.add(3_000_000 + (t - 2000) * 100, t);
    expect(meter.bytesPerSecond()).toBeCloseTo(100_000, -3);
  });

  it("keeps few samples when progress is reported very often", () => {
    const meter = new SpeedMeter(5000);
    for (let t = 0; t <= 1000; t += 1) meter.add(t * 1000, t);
    expect(meter.bytesPerSecond()).toBe(1_000_000);
  });
});
