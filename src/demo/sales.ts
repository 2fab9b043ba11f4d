/** Sales: who buys on a day, what they buy at which price and tax, and the invoice it makes. */
import { isoDate, timestamp } from "./calendar.js";
import { BUSINESS } from "./catalog.js";
import { payInvoice } from "./payments.js";
import { maybeScheduleReturn } from "./returns.js";
import {
  CASHIER_CHANGE_DAY,
  documentNumber,
  END_DAY,
  percentOf,
  PRICE_REVISION_DAY,
  rupees,
  USER,
  type Customer,
  type Product,
  type Row,
  type Simulation,
} from "./simulation.js";
import { consumeFifo } from "./stock.js";

export function createInvoice(sim: Simulation, day: number): void {
  const customer = pickCustomer(sim, day);
  const status =
    END_DAY - day < 3 && sim.rng.chance(0.3) ? "draft" : sim.rng.chance(0.015) ? "cancelled" : "posted";
  const invoiceId = sim.tables.invoices.length + 1;
  const cashier = sim.rng.pick(
    day < CASHIER_CHANGE_DAY
      ? [USER.cashierA, USER.cashierB, USER.formerCashier]
      : [USER.cashierA, USER.cashierB, USER.newCashier],
  );
  const createdBy = sim.rng.chance(0.08) ? USER.manager : cashier;
  const lines = invoiceLines(sim, customer, day, status === "posted", invoiceId, createdBy);
  if (lines.length === 0) return;
  const sum = (key: string): number => lines.reduce((total, line) => total + line.paise[key], 0);
  const tax = sum("gst");
  const interState = customer.state !== BUSINESS.state;
  const cgst = interState ? 0 : Math.round(tax / 2);
  const total = sum("taxable") + tax;
  const invoice: Row = {
    id: invoiceId,
    invoice_number: documentNumber("INV", invoiceId, 6),
    customer_id: customer.id,
    invoice_date: isoDate(day),
    due_date: isoDate(day + customer.terms),
    status,
    subtotal: rupees(sum("gross")),
    discount_amount: rupees(sum("discount")),
    taxable_amount: rupees(sum("taxable")),
    cgst_amount: rupees(cgst),
    sgst_amount: rupees(interState ? 0 : tax - cgst),
    igst_amount: rupees(interState ? tax : 0),
    tax_amount: rupees(tax),
    total_amount: rupees(total),
    amount_paid: 0,
    created_by: createdBy,
    created_at: timestamp(day, sim.rng.int(570, 1230)),
  };
  sim.tables.invoices.push(invoice);
  for (const line of lines) {
    sim.tables.invoice_items.push(line.row);
    if (status === "posted") maybeScheduleReturn(sim, invoice, line.row, line.product, customer.id, day);
  }
  if (status === "posted") payInvoice(sim, invoice, customer, day, total);
}

function pickCustomer(sim: Simulation, day: number): Customer {
  const wantBusiness = sim.rng.chance(0.36);
  for (;;) {
    // Older customers buy more often: skew the pick towards the front of the list (by join date).
    const customer = sim.customers[Math.floor(Math.pow(sim.rng.next(), 1.5) * sim.customers.length)];
    if (customer.sinceDay <= day && (customer.type === "business") === wantBusiness) return customer;
  }
}

function invoiceLines(
  sim: Simulation,
  customer: Customer,
  day: number,
  posted: boolean,
  invoiceId: number,
  user: number,
) {
  const lineCount = customer.type === "business" ? sim.rng.int(3, 11) : sim.rng.int(1, 5);
  const chosen = new Set<Product>();
  for (let attempt = 0; attempt < lineCount * 2 && chosen.size < lineCount; attempt++) {
    chosen.add(sim.sellable[sim.rng.weightedIndex(sim.sellableWeights)]);
  }
  const lines: { row: Row; product: Product; paise: Record<string, number> }[] = [];
  for (const product of chosen) {
    const wanted = quantityFor(sim, product, customer);
    const quantity = posted ? Math.min(wanted, product.onHand) : wanted;
    if (quantity <= 0) continue;
    const unitPrice = day < PRICE_REVISION_DAY ? product.oldPrice : product.newPrice;
    const discountPercent =
      customer.type === "business" ? customer.discountPercent : sim.rng.chance(0.1) ? 5 : 0;
    const gross = quantity * unitPrice;
    const discount = percentOf(gross, discountPercent);
    const taxable = gross - discount;
    const gst = percentOf(taxable, product.gstRate);
    const itemId = sim.tables.invoice_items.length + lines.length + 1;
    const cost = posted
      ? consumeFifo(sim, product, quantity, day, "sale", "invoice_item", itemId, user, null)
      : 0;
    lines.push({
      product,
      paise: { gross, discount, taxable, gst },
      row: {
        id: itemId,
        invoice_id: invoiceId,
        product_id: product.id,
        quantity,
        unit_price: rupees(unitPrice),
        discount_percent: discountPercent,
        discount_amount: rupees(discount),
        taxable_amount: rupees(taxable),
        gst_rate: product.gstRate,
        gst_amount: rupees(gst),
        line_total: rupees(taxable + gst),
        cost_amount: rupees(cost),
      },
    });
  }
  return lines;
}

function quantityFor(sim: Simulation, product: Product, customer: Customer): number {
  const retail =
    product.oldPrice < 10_000
      ? sim.rng.int(2, 10)
      : product.oldPrice < 100_000
        ? sim.rng.int(1, 4)
        : sim.rng.chance(0.8)
          ? 1
          : 2;
  if (customer.type === "retail") return retail;
  const scale =
    product.oldPrice < 10_000
      ? sim.rng.int(3, 12)
      : product.oldPrice < 100_000
        ? sim.rng.int(2, 6)
        : sim.rng.int(1, 3);
  return retail * scale;
}
