import { isLastDayOfMonth, monthIndex, weekday } from "./calendar.js";
import { MONTH_SEASONALITY, WEEKDAY_SEASONALITY } from "./catalog.js";
import { addCustomers, addSuppliersAndProducts, addUsers } from "./master-data.js";
import { finishPayments } from "./payments.js";
import { handleReceipt, reorderFrom } from "./purchasing.js";
import { processReturn } from "./returns.js";
import { createInvoice } from "./sales.js";
import {
  DISCONTINUE_DAY,
  END_DAY,
  newSimulation,
  refreshSellable,
  rupees,
  START_DAY,
  type DemoTables,
  type Simulation,
} from "./simulation.js";
import { addOpeningStock, adjustStock } from "./stock.js";

/**
 * Simulates two years of a hardware store day by day: purchase orders and receipts into FIFO
 * batches, sales consuming the oldest batches first, customer and supplier payments, returns and
 * stock adjustments. Money is computed in paise (integers) and stored in rupees.
 *
 * This file runs the days; each part of the business is its own file: master-data.ts (users,
 * catalogue, customers), sales.ts, returns.ts, purchasing.ts, stock.ts and payments.ts, all sharing
 * one seeded random stream through simulation.ts, so the same seed always gives the same tables.
 */

export { DEMO_END_DATE, DEMO_START_DATE, type DemoTables, type Row } from "./simulation.js";

const BASE_INVOICES_PER_DAY = 9;

export function generateDemoTables(seed: number): DemoTables {
  const sim = newSimulation(seed);
  addUsers(sim);
  addSuppliersAndProducts(sim);
  addCustomers(sim);
  addOpeningStock(sim);
  for (let day = START_DAY; day <= END_DAY; day++) simulateDay(sim, day);
  finishPayments(sim);
  finishProducts(sim);
  return sim.tables;
}

function simulateDay(sim: Simulation, day: number): void {
  if (day === DISCONTINUE_DAY) discontinueSlowMovers(sim);
  for (const event of sim.receipts.get(day) ?? []) handleReceipt(sim, event.order, event.share, day);
  for (const pending of sim.returnsDue.get(day) ?? []) processReturn(sim, pending, day);
  const invoices = sim.rng.poisson(invoicesExpectedOn(day));
  for (let count = 0; count < invoices; count++) createInvoice(sim, day);
  if (weekday(day) !== 0) for (const supplier of sim.suppliers) reorderFrom(sim, supplier, day);
  if (isLastDayOfMonth(day)) adjustStock(sim, day);
}

function invoicesExpectedOn(day: number): number {
  const growth = 0.9 + (0.2 * (day - START_DAY)) / (END_DAY - START_DAY);
  return (
    BASE_INVOICES_PER_DAY * MONTH_SEASONALITY[monthIndex(day)] * WEEKDAY_SEASONALITY[weekday(day)] * growth
  );
}

function discontinueSlowMovers(sim: Simulation): void {
  const slowest = sim.products
    .map((product, index) => ({ product, weight: sim.popularity[index] }))
    .sort((a, b) => a.weight - b.weight)
    .slice(0, 12);
  for (const { product } of slowest) product.discontinued = true;
  refreshSellable(sim);
}

/** Writes the current prices, reorder policy, activity and remaining batch quantities. */
function finishProducts(sim: Simulation): void {
  for (const product of sim.products) {
    const row = sim.tables.products[product.id - 1];
    Object.assign(row, {
      cost_price: rupees(product.newCost),
      sale_price: rupees(product.newPrice),
      reorder_level: product.reorderLevel,
      reorder_quantity: product.reorderQuantity,
      is_active: product.discontinued ? 0 : 1,
    });
    for (const batch of product.batches)
      sim.tables.inventory_batches[batch.id - 1].quantity_remaining = batch.remaining;
  }
}
