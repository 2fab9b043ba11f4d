/** Stock: FIFO batches in, stock movements out (oldest batch first), and month-end adjustments. */
import { isoDate } from "./calendar.js";
import { ADJUSTMENT_NOTES } from "./catalog.js";
import { rupees, START_DAY, USER, type Batch, type Product, type Simulation } from "./simulation.js";

export function addOpeningStock(sim: Simulation): void {
  for (const product of sim.products) {
    receiveBatch(
      sim,
      product,
      START_DAY,
      product.reorderLevel + product.reorderQuantity,
      product.oldCost,
      "opening",
      null,
    );
  }
}

export function receiveBatch(
  sim: Simulation,
  product: Product,
  day: number,
  quantity: number,
  unitCost: number,
  source: "opening" | "purchase" | "return",
  poItemId: number | null,
  returnId?: number,
): void {
  const batchId = sim.tables.inventory_batches.length + 1;
  const batch: Batch = { id: batchId, remaining: quantity, unitCost };
  product.batches.push(batch);
  product.onHand += quantity;
  sim.tables.inventory_batches.push({
    id: batchId,
    batch_number: `B${isoDate(day).replaceAll("-", "")}-${String(batchId).padStart(5, "0")}`,
    product_id: product.id,
    source,
    purchase_order_item_id: poItemId,
    received_date: isoDate(day),
    quantity_received: quantity,
    quantity_remaining: quantity,
    unit_cost: rupees(unitCost),
  });
  const movementType = source === "return" ? "sale_return" : source;
  const reference =
    source === "purchase"
      ? { type: "purchase_order_item", id: poItemId }
      : source === "return"
        ? { type: "return", id: returnId ?? null }
        : { type: null, id: null };
  addMovement(
    sim,
    product,
    batch,
    day,
    movementType,
    quantity,
    reference.type,
    reference.id,
    USER.storekeeper,
    null,
  );
}

/** Takes stock out of the oldest batches first and returns the cost (paise) of what was taken. */
export function consumeFifo(
  sim: Simulation,
  product: Product,
  quantity: number,
  day: number,
  type: "sale" | "adjustment",
  referenceType: string,
  referenceId: number | null,
  user: number,
  note: string | null,
): number {
  let left = quantity;
  let cost = 0;
  while (left > 0) {
    const batch = product.batches[product.firstBatch];
    const taken = Math.min(left, batch.remaining);
    batch.remaining -= taken;
    left -= taken;
    cost += taken * batch.unitCost;
    addMovement(sim, product, batch, day, type, -taken, referenceType, referenceId, user, note);
    if (batch.remaining === 0) product.firstBatch++;
  }
  product.onHand -= quantity;
  return cost;
}

function addMovement(
  sim: Simulation,
  product: Product,
  batch: Batch,
  day: number,
  type: string,
  quantity: number,
  referenceType: string | null,
  referenceId: number | null,
  user: number,
  note: string | null,
): void {
  sim.tables.stock_movements.push({
    id: sim.tables.stock_movements.length + 1,
    product_id: product.id,
    batch_id: batch.id,
    movement_type: type,
    quantity,
    unit_cost: rupees(batch.unitCost),
    reference_type: referenceType,
    reference_id: referenceId,
    movement_date: isoDate(day),
    note,
    created_by: user,
  });
}

export function adjustStock(sim: Simulation, day: number): void {
  for (let count = 0; count < 4; count++) {
    const product = sim.rng.pick(sim.products);
    if (product.onHand <= 5) continue;
    const note = sim.rng.pick(ADJUSTMENT_NOTES);
    consumeFifo(
      sim,
      product,
      sim.rng.int(1, 3),
      day,
      "adjustment",
      "adjustment",
      null,
      USER.storekeeper,
      note,
    );
  }
}
