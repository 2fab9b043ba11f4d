/** Purchasing: reorders at the reorder level, purchase orders, and receipts (some partial, some cancelled). */
import { isoDate, timestamp } from "./calendar.js";
import { paySupplier } from "./payments.js";
import {
  documentNumber,
  END_DAY,
  percentOf,
  PRICE_REVISION_DAY,
  rupees,
  USER,
  type Product,
  type PurchaseOrder,
  type ReceiptShare,
  type Row,
  type Simulation,
  type Supplier,
} from "./simulation.js";
import { receiveBatch } from "./stock.js";

/** Orders everything at or under its reorder level, topping up items that are close to it. */
export function reorderFrom(sim: Simulation, supplier: Supplier, day: number): void {
  const needed = supplier.products.filter(
    (product) => !product.discontinued && product.onHand + product.onOrder <= product.reorderLevel,
  );
  if (needed.length === 0) return;
  const topUp = supplier.products.filter(
    (product) =>
      !product.discontinued &&
      !needed.includes(product) &&
      product.onHand + product.onOrder <= product.reorderLevel * 1.5,
  );
  const draft = END_DAY - day < 4 && sim.rng.chance(0.4);
  const order = createPurchaseOrder(sim, supplier, day, [...needed, ...topUp], draft);
  if (draft) return;
  const arrival = day + supplier.leadTime + sim.rng.int(-1, 3);
  if (sim.rng.chance(0.03)) schedule(sim, day + sim.rng.int(1, 3), order, "cancel");
  else if (sim.rng.chance(0.12)) {
    schedule(sim, arrival, order, 0.4 + sim.rng.next() * 0.4);
    schedule(sim, arrival + sim.rng.int(5, 14), order, "rest");
  } else schedule(sim, arrival, order, "rest");
}

function createPurchaseOrder(
  sim: Simulation,
  supplier: Supplier,
  day: number,
  products: Product[],
  draft: boolean,
): PurchaseOrder {
  const orderId = sim.tables.purchase_orders.length + 1;
  const items = products.map((product) => {
    const unitCost = day < PRICE_REVISION_DAY ? product.oldCost : product.newCost;
    const quantity = product.reorderQuantity;
    const tax = percentOf(quantity * unitCost, product.gstRate);
    if (!draft) product.onOrder += quantity;
    const row: Row = {
      id: sim.tables.purchase_order_items.length + 1,
      purchase_order_id: orderId,
      product_id: product.id,
      quantity_ordered: quantity,
      quantity_received: 0,
      unit_cost: rupees(unitCost),
      gst_rate: product.gstRate,
      tax_amount: rupees(tax),
      line_total: rupees(quantity * unitCost + tax),
    };
    sim.tables.purchase_order_items.push(row);
    return { row, product, unitCost, subtotal: quantity * unitCost, tax };
  });
  const subtotal = items.reduce((sum, item) => sum + item.subtotal, 0);
  const tax = items.reduce((sum, item) => sum + item.tax, 0);
  const row: Row = {
    id: orderId,
    po_number: documentNumber("PO", orderId, 5),
    supplier_id: supplier.id,
    order_date: isoDate(day),
    expected_date: isoDate(day + supplier.leadTime),
    received_date: null,
    status: draft ? "draft" : "ordered",
    subtotal: rupees(subtotal),
    tax_amount: rupees(tax),
    total_amount: rupees(subtotal + tax),
    received_amount: 0,
    amount_paid: 0,
    created_by: sim.rng.chance(0.8) ? USER.storekeeper : USER.manager,
    created_at: timestamp(day, sim.rng.int(600, 1080)),
  };
  sim.tables.purchase_orders.push(row);
  return { row, supplier, items };
}

function schedule(sim: Simulation, day: number, order: PurchaseOrder, share: ReceiptShare): void {
  const events = sim.receipts.get(day) ?? [];
  events.push({ order, share });
  sim.receipts.set(day, events);
}

export function handleReceipt(sim: Simulation, order: PurchaseOrder, share: ReceiptShare, day: number): void {
  if (share === "cancel") {
    order.row.status = "cancelled";
    for (const item of order.items) item.product.onOrder -= Number(item.row.quantity_ordered);
    return;
  }
  let value = 0;
  for (const item of order.items) {
    const ordered = Number(item.row.quantity_ordered);
    const already = Number(item.row.quantity_received);
    const quantity = share === "rest" ? ordered - already : Math.max(1, Math.floor(ordered * share));
    if (quantity <= 0) continue;
    item.row.quantity_received = already + quantity;
    item.product.onOrder -= quantity;
    receiveBatch(sim, item.product, day, quantity, item.unitCost, "purchase", Number(item.row.id));
    value += quantity * item.unitCost + percentOf(quantity * item.unitCost, item.product.gstRate);
  }
  order.row.status = share === "rest" ? "received" : "partially_received";
  order.row.received_date = isoDate(day);
  order.row.received_amount = rupees(Math.round(Number(order.row.received_amount) * 100) + value);
  paySupplier(sim, order, day, value);
}
