/** Returns: a few sold lines come back days later; what is not defective goes back into stock. */
import { isoDate } from "./calendar.js";
import { RETURN_REASONS } from "./catalog.js";
import {
  documentNumber,
  END_DAY,
  rupees,
  USER,
  type PendingReturn,
  type Product,
  type Row,
  type Simulation,
} from "./simulation.js";
import { receiveBatch } from "./stock.js";

export function maybeScheduleReturn(
  sim: Simulation,
  invoice: Row,
  itemRow: Row,
  product: Product,
  customerId: number,
  day: number,
): void {
  if (!sim.rng.chance(0.012)) return;
  const returnDay = day + sim.rng.int(1, 15);
  if (returnDay > END_DAY) return;
  const soldQuantity = Number(itemRow.quantity);
  const quantity = sim.rng.chance(0.7) ? 1 : sim.rng.int(1, soldQuantity);
  const lineTotal = Math.round(Number(itemRow.line_total) * 100);
  const pending: PendingReturn = {
    invoiceRow: invoice,
    itemRow,
    product,
    quantity,
    refund: Math.round((lineTotal * quantity) / soldQuantity),
    unitCost: Math.round((Number(itemRow.cost_amount) * 100) / soldQuantity),
    customerId,
  };
  const due = sim.returnsDue.get(returnDay) ?? [];
  due.push(pending);
  sim.returnsDue.set(returnDay, due);
}

export function processReturn(sim: Simulation, pending: PendingReturn, day: number): void {
  const reason = sim.rng.pick(RETURN_REASONS);
  const restocked = reason !== "Defective" && reason !== "Damaged in transit" ? 1 : 0;
  const returnId = sim.tables.returns.length + 1;
  sim.tables.returns.push({
    id: returnId,
    return_number: documentNumber("RET", returnId, 5),
    invoice_id: pending.invoiceRow.id,
    invoice_item_id: pending.itemRow.id,
    customer_id: pending.customerId,
    product_id: pending.product.id,
    return_date: isoDate(day),
    quantity: pending.quantity,
    refund_amount: rupees(pending.refund),
    reason,
    restocked,
    processed_by: USER.manager,
  });
  if (restocked)
    receiveBatch(sim, pending.product, day, pending.quantity, pending.unitCost, "return", null, returnId);
}
