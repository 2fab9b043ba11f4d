/**
 * Payments: when customers pay their invoices (retail at once; businesses by their terms and habits)
 * and when the store pays its suppliers; at the end, receipts and payments are numbered in date order.
 */
import { isoDate } from "./calendar.js";
import { digits } from "./contacts.js";
import type { Random } from "./random.js";
import {
  documentNumber,
  END_DAY,
  rupees,
  USER,
  type Customer,
  type Payment,
  type PurchaseOrder,
  type Row,
  type Simulation,
} from "./simulation.js";

export function payInvoice(
  sim: Simulation,
  invoice: Row,
  customer: Customer,
  day: number,
  total: number,
): void {
  if (customer.type === "retail") {
    if (sim.rng.chance(0.96))
      return addCustomerPayment(
        sim,
        invoice,
        day,
        total,
        sim.rng.pick(["cash", "cash", "upi", "upi", "card"]),
      );
    const advance = Math.round(total / 2);
    addCustomerPayment(sim, invoice, day, advance, "cash");
    return addCustomerPayment(sim, invoice, day + sim.rng.int(3, 40), total - advance, "upi");
  }
  const dueDay = day + customer.terms;
  let payDay: number;
  if (customer.payer === "prompt")
    payDay = day + sim.rng.int(Math.floor(customer.terms * 0.3), customer.terms);
  else if (customer.payer === "late") payDay = dueDay + sim.rng.int(3, 45);
  else if (sim.rng.chance(0.4)) return;
  else payDay = dueDay + sim.rng.int(30, 120);
  const method = sim.rng.pick(["bank_transfer", "bank_transfer", "cheque", "upi"]);
  if (sim.rng.chance(0.8)) return addCustomerPayment(sim, invoice, payDay, total, method);
  const first = Math.round((total * sim.rng.int(40, 70)) / 100);
  addCustomerPayment(sim, invoice, Math.max(day, payDay - sim.rng.int(5, 20)), first, method);
  if (customer.payer !== "bad" || sim.rng.chance(0.5))
    addCustomerPayment(sim, invoice, payDay, total - first, method);
}

function addCustomerPayment(
  sim: Simulation,
  invoice: Row,
  day: number,
  amount: number,
  method: string,
): void {
  if (day > END_DAY || amount <= 0) return;
  invoice.amount_paid = rupees(Math.round(Number(invoice.amount_paid) * 100) + amount);
  const business = method === "bank_transfer" || method === "cheque";
  sim.customerPayments.push({
    day,
    amount,
    row: {
      customer_id: invoice.customer_id,
      invoice_id: invoice.id,
      payment_date: isoDate(day),
      amount: rupees(amount),
      method,
      reference: paymentReference(sim.rng, method),
      received_by: business ? USER.accountant : Number(invoice.created_by),
    },
  });
}

export function paySupplier(sim: Simulation, order: PurchaseOrder, receiptDay: number, value: number): void {
  const payDay = receiptDay + order.supplier.terms + sim.rng.int(-7, 12);
  const method = sim.rng.pick(["bank_transfer", "bank_transfer", "bank_transfer", "cheque", "upi"]);
  const first = sim.rng.chance(0.15) ? Math.round(value * 0.5) : value;
  addSupplierPayment(sim, order, payDay, first, method);
  if (first < value) addSupplierPayment(sim, order, payDay + sim.rng.int(10, 30), value - first, method);
}

function addSupplierPayment(
  sim: Simulation,
  order: PurchaseOrder,
  day: number,
  amount: number,
  method: string,
): void {
  if (day > END_DAY) return;
  order.row.amount_paid = rupees(Math.round(Number(order.row.amount_paid) * 100) + amount);
  sim.supplierPayments.push({
    day,
    amount,
    row: {
      supplier_id: order.supplier.id,
      purchase_order_id: order.row.id,
      payment_date: isoDate(day),
      amount: rupees(amount),
      method,
      reference: paymentReference(sim.rng, method),
      paid_by: USER.accountant,
    },
  });
}

/** Numbers payments in date order, and derives each invoice's status from what was paid. */
export function finishPayments(sim: Simulation): void {
  const number = (payments: Payment[], table: string, column: string, prefix: string): void => {
    payments.sort((a, b) => a.day - b.day);
    payments.forEach((payment, index) => {
      sim.tables[table].push({
        id: index + 1,
        [column]: documentNumber(prefix, index + 1, 6),
        ...payment.row,
      });
    });
  };
  number(sim.customerPayments, "customer_payments", "receipt_number", "RCPT");
  number(sim.supplierPayments, "supplier_payments", "payment_number", "PAY");
  for (const invoice of sim.tables.invoices) {
    if (invoice.status !== "posted") continue;
    const paid = Math.round(Number(invoice.amount_paid) * 100);
    const total = Math.round(Number(invoice.total_amount) * 100);
    invoice.status = paid >= total ? "paid" : paid > 0 ? "partially_paid" : "unpaid";
  }
}

function paymentReference(rng: Random, method: string): string | null {
  switch (method) {
    case "upi":
      return `UPI${digits(rng, 12)}`;
    case "card":
      return `CARD **** ${digits(rng, 4)}`;
    case "bank_transfer":
      return `NEFT${digits(rng, 12)}`;
    case "cheque":
      return `CHQ ${digits(rng, 6)}`;
    default:
      return null;
  }
}
