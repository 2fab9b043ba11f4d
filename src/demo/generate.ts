import { isLastDayOfMonth, isoDate, monthIndex, timestamp, toDay, weekday } from "./calendar.js";
import {
  ADJUSTMENT_NOTES,
  BUSINESS,
  BUSINESS_NAME_KINDS,
  BUSINESS_NAME_PARTS,
  CATEGORIES,
  CITIES,
  FIRST_NAMES,
  MONTH_SEASONALITY,
  RETURN_REASONS,
  STATE_CODES,
  SUPPLIER_NAME_KINDS,
  SURNAMES,
  WEEKDAY_SEASONALITY,
} from "./catalog.js";
import { Random } from "./random.js";

/**
 * Simulates two years of a hardware store day by day: purchase orders and receipts into FIFO
 * batches, sales consuming the oldest batches first, customer and supplier payments, returns and
 * stock adjustments. Money is computed in paise (integers) and stored in rupees.
 */

export type Row = Record<string, string | number | null>;
export type DemoTables = Record<string, Row[]>;

export const DEMO_START_DATE = "2024-11-01";
export const DEMO_END_DATE = "2026-10-31";

const START_DAY = toDay(DEMO_START_DATE);
const END_DAY = toDay(DEMO_END_DATE);
const PRICE_REVISION_DAY = toDay("2025-11-01");
const DISCONTINUE_DAY = toDay("2026-04-01");
const CASHIER_CHANGE_DAY = toDay("2025-07-01");
const BASE_INVOICES_PER_DAY = 9;
const ESTIMATED_LINES_PER_DAY = 40;

const USER = {
  owner: 1,
  manager: 2,
  cashierA: 3,
  cashierB: 4,
  formerCashier: 5,
  storekeeper: 6,
  accountant: 7,
  newCashier: 8,
};

interface Batch {
  id: number;
  remaining: number;
  unitCost: number;
}

interface Product {
  id: number;
  supplierId: number;
  gstRate: number;
  oldCost: number;
  newCost: number;
  oldPrice: number;
  newPrice: number;
  reorderLevel: number;
  reorderQuantity: number;
  discontinued: boolean;
  batches: Batch[];
  firstBatch: number;
  onHand: number;
  onOrder: number;
}

interface Customer {
  id: number;
  type: "retail" | "business";
  state: string;
  terms: number;
  payer: "prompt" | "late" | "bad";
  discountPercent: number;
  sinceDay: number;
}

interface Supplier {
  id: number;
  terms: number;
  leadTime: number;
  products: Product[];
}

interface PurchaseOrder {
  row: Row;
  supplier: Supplier;
  items: { row: Row; product: Product; unitCost: number }[];
}

interface PendingReturn {
  invoiceRow: Row;
  itemRow: Row;
  product: Product;
  quantity: number;
  refund: number;
  unitCost: number;
  customerId: number;
}

interface Payment {
  day: number;
  amount: number;
  row: Row;
}

const rupees = (paise: number): number => paise / 100;
const documentNumber = (prefix: string, id: number, digits: number): string =>
  `${prefix}-${String(id).padStart(digits, "0")}`;
const percentOf = (paise: number, percent: number): number => Math.round((paise * percent) / 100);

export function generateDemoTables(seed: number): DemoTables {
  return new StoreSimulation(seed).run();
}

class StoreSimulation {
  private readonly rng: Random;
  private readonly tables: DemoTables = {
    users: [],
    settings: [],
    categories: [],
    suppliers: [],
    products: [],
    customers: [],
    invoices: [],
    invoice_items: [],
    purchase_orders: [],
    purchase_order_items: [],
    customer_payments: [],
    supplier_payments: [],
    inventory_batches: [],
    stock_movements: [],
    returns: [],
  };
  private readonly products: Product[] = [];
  private readonly suppliers: Supplier[] = [];
  private readonly customers: Customer[] = [];
  private readonly receipts = new Map<
    number,
    { order: PurchaseOrder; share: number | "rest" | "cancel" }[]
  >();
  private readonly returnsDue = new Map<number, PendingReturn[]>();
  private readonly customerPayments: Payment[] = [];
  private readonly supplierPayments: Payment[] = [];
  private popularity: number[] = [];
  private sellable: Product[] = [];
  private sellableWeights: number[] = [];

  constructor(seed: number) {
    this.rng = new Random(seed);
  }

  run(): DemoTables {
    this.addUsers();
    this.addSuppliersAndProducts();
    this.addCustomers();
    this.addOpeningStock();
    for (let day = START_DAY; day <= END_DAY; day++) this.simulateDay(day);
    this.finishPayments();
    this.finishProducts();
    return this.tables;
  }

  // ---- master data -------------------------------------------------------------------------

  private addUsers(): void {
    const people: [string, string, string, number, number][] = [
      ["rahul", "Rahul Deshmukh", "admin", 1, START_DAY - 900],
      ["sneha", "Sneha Kulkarni", "manager", 1, START_DAY - 700],
      ["amit", "Amit Patil", "cashier", 1, START_DAY - 500],
      ["pooja", "Pooja Shinde", "cashier", 1, START_DAY - 300],
      ["kiran", "Kiran Jadhav", "cashier", 0, START_DAY - 200],
      ["vinod", "Vinod Gaikwad", "storekeeper", 1, START_DAY - 650],
      ["meena", "Meena Apte", "accountant", 1, START_DAY - 600],
      ["farhan", "Farhan Khan", "cashier", 1, CASHIER_CHANGE_DAY - 3],
    ];
    people.forEach(([username, fullName, role, active, since], index) =>
      this.tables.users.push({
        id: index + 1,
        username,
        full_name: fullName,
        role,
        email: `${username}@punehardware.in`,
        is_active: active,
        created_at: timestamp(since, 600),
      }),
    );
  }

  private addSuppliersAndProducts(): void {
    const usedNames = new Set<string>();
    CATEGORIES.forEach((category, categoryIndex) => {
      const categoryId = categoryIndex + 1;
      this.tables.categories.push({
        id: categoryId,
        name: category.name,
        description: category.description,
        hsn_code: category.hsnCode,
        gst_rate: category.gstRate,
      });
      const categorySuppliers = [
        this.addSupplier(category.brands[0], usedNames),
        this.addSupplier(category.brands[2], usedNames),
      ];
      for (const [itemName, unit, basePrice] of category.items) {
        for (const [variant, multiplier] of category.variants) {
          const brandCount = this.rng.chance(0.3) ? 2 : 1;
          const brands = this.rng.shuffle([...category.brands]).slice(0, brandCount);
          for (const brand of brands) {
            const supplier = this.rng.pick(categorySuppliers);
            this.addProduct({
              categoryId,
              supplier,
              brand,
              name: `${brand} ${itemName} ${variant}`,
              unit,
              gstRate: category.gstRate,
              hsnCode: category.hsnCode,
              salePrice: basePrice * multiplier,
            });
          }
        }
      }
    });
    this.popularity = this.rng.shuffle(this.products.map((_, rank) => 1 / Math.pow(rank + 1, 0.85)));
    this.products.forEach((product, index) => this.setReorderPolicy(product, this.popularity[index]));
    this.refreshSellable();
  }

  private addSupplier(brand: string, usedNames: Set<string>): Supplier {
    let name: string;
    do name = `${this.rng.pick(BUSINESS_NAME_PARTS)} ${brand} ${this.rng.pick(SUPPLIER_NAME_KINDS)}`;
    while (usedNames.has(name));
    usedNames.add(name);
    const [city, state] = this.rng.chance(0.6) ? this.rng.pick(CITIES.slice(0, 3)) : this.rng.pick(CITIES);
    const supplier: Supplier = {
      id: this.suppliers.length + 1,
      terms: this.rng.pick([15, 30, 30, 45, 60]),
      leadTime: this.rng.int(2, 12),
      products: [],
    };
    this.suppliers.push(supplier);
    this.tables.suppliers.push({
      id: supplier.id,
      name,
      contact_person: this.personName(),
      phone: this.phone(),
      email: `sales@${name.toLowerCase().replace(/[^a-z]+/g, "")}.in`,
      gstin: this.gstin(state),
      city,
      state,
      payment_terms_days: supplier.terms,
      lead_time_days: supplier.leadTime,
      is_active: 1,
      created_at: timestamp(START_DAY - this.rng.int(100, 900), 660),
    });
    return supplier;
  }

  private addProduct(spec: {
    categoryId: number;
    supplier: Supplier;
    brand: string;
    name: string;
    unit: string;
    gstRate: number;
    hsnCode: string;
    salePrice: number;
  }): void {
    const oldPrice = roundPrice(spec.salePrice * (0.9 + this.rng.next() * 0.25) * 100);
    const margin = 1.2 + this.rng.next() * 0.25;
    const revision = 1.03 + this.rng.next() * 0.05;
    const product: Product = {
      id: this.products.length + 1,
      supplierId: spec.supplier.id,
      gstRate: spec.gstRate,
      oldPrice,
      oldCost: Math.round(oldPrice / margin),
      newPrice: roundPrice(oldPrice * revision),
      newCost: Math.round((oldPrice * revision) / margin),
      reorderLevel: 0,
      reorderQuantity: 0,
      discontinued: false,
      batches: [],
      firstBatch: 0,
      onHand: 0,
      onOrder: 0,
    };
    this.products.push(product);
    spec.supplier.products.push(product);
    this.tables.products.push({
      id: product.id,
      sku: `${spec.hsnCode.slice(0, 2)}${String(spec.categoryId).padStart(2, "0")}-${String(product.id).padStart(4, "0")}`,
      name: spec.name,
      category_id: spec.categoryId,
      supplier_id: spec.supplier.id,
      brand: spec.brand,
      unit: spec.unit,
      hsn_code: spec.hsnCode,
      cost_price: 0,
      sale_price: 0,
      gst_rate: spec.gstRate,
      reorder_level: 0,
      reorder_quantity: 0,
      is_active: 1,
      created_at: timestamp(START_DAY - this.rng.int(30, 600), 700),
    });
  }

  /** Reorder level covers the supplier's lead time plus a few days; an order covers about six weeks. */
  private setReorderPolicy(product: Product, popularity: number): void {
    const share = popularity / this.popularity.reduce((sum, weight) => sum + weight, 0);
    const dailyDemand = ESTIMATED_LINES_PER_DAY * share * typicalQuantity(product.oldPrice);
    const leadTime = this.suppliers[product.supplierId - 1].leadTime;
    product.reorderLevel = Math.max(3, Math.ceil(dailyDemand * (leadTime + 5)));
    product.reorderQuantity = Math.max(10, Math.ceil((dailyDemand * 42) / 5) * 5);
  }

  private addCustomers(): void {
    const usedNames = new Set<string>();
    for (let index = 0; index < 440; index++) {
      const type = index % 3 === 0 ? "business" : "retail";
      let name: string;
      do
        name =
          type === "business"
            ? `${this.rng.pick(BUSINESS_NAME_PARTS)} ${this.rng.pick(BUSINESS_NAME_KINDS)}`
            : this.personName();
      while (usedNames.has(name));
      usedNames.add(name);
      const [city, state] =
        type === "business" && this.rng.chance(0.25)
          ? this.rng.pick(CITIES.slice(6))
          : this.rng.pick(CITIES.slice(0, 6));
      const sinceDay = this.rng.chance(0.65)
        ? START_DAY - this.rng.int(10, 900)
        : START_DAY + this.rng.int(0, 660);
      const customer: Customer = {
        id: index + 1,
        type,
        state,
        terms: type === "business" ? this.rng.pick([15, 30, 30, 45]) : 0,
        payer: this.rng.chance(0.62) ? "prompt" : this.rng.chance(0.75) ? "late" : "bad",
        discountPercent: type === "business" ? this.rng.pick([0, 2, 5, 5, 7.5, 10]) : 0,
        sinceDay,
      };
      this.customers.push(customer);
      this.tables.customers.push({
        id: customer.id,
        name,
        customer_type: type,
        phone: this.phone(),
        email: this.rng.chance(0.7) ? `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@gmail.com` : null,
        gstin: type === "business" ? this.gstin(state) : null,
        city,
        state,
        credit_limit:
          type === "business" ? this.rng.pick([50_000, 100_000, 100_000, 200_000, 300_000, 500_000]) : 0,
        payment_terms_days: customer.terms,
        is_active: 1,
        created_at: timestamp(sinceDay, this.rng.int(570, 1200)),
      });
    }
    this.customers.sort((a, b) => a.sinceDay - b.sinceDay || a.id - b.id);
  }

  private addOpeningStock(): void {
    for (const product of this.products) {
      this.receiveBatch(
        product,
        START_DAY,
        product.reorderLevel + product.reorderQuantity,
        product.oldCost,
        "opening",
        null,
      );
    }
  }

  // ---- one day ------------------------------------------------------------------------------

  private simulateDay(day: number): void {
    if (day === DISCONTINUE_DAY) this.discontinueSlowMovers();
    for (const event of this.receipts.get(day) ?? []) this.handleReceipt(event.order, event.share, day);
    for (const pending of this.returnsDue.get(day) ?? []) this.processReturn(pending, day);
    const invoices = this.rng.poisson(this.invoicesExpectedOn(day));
    for (let count = 0; count < invoices; count++) this.createInvoice(day);
    if (weekday(day) !== 0) for (const supplier of this.suppliers) this.reorderFrom(supplier, day);
    if (isLastDayOfMonth(day)) this.adjustStock(day);
  }

  private invoicesExpectedOn(day: number): number {
    const growth = 0.9 + (0.2 * (day - START_DAY)) / (END_DAY - START_DAY);
    return (
      BASE_INVOICES_PER_DAY * MONTH_SEASONALITY[monthIndex(day)] * WEEKDAY_SEASONALITY[weekday(day)] * growth
    );
  }

  private discontinueSlowMovers(): void {
    const slowest = this.products
      .map((product, index) => ({ product, weight: this.popularity[index] }))
      .sort((a, b) => a.weight - b.weight)
      .slice(0, 12);
    for (const { product } of slowest) product.discontinued = true;
    this.refreshSellable();
  }

  private refreshSellable(): void {
    this.sellable = this.products.filter((product) => !product.discontinued);
    let total = 0;
    this.sellableWeights = this.sellable.map((product) => (total += this.popularity[product.id - 1]));
  }

  // ---- sales ---------------------------------------------------------------------------------

  private createInvoice(day: number): void {
    const customer = this.pickCustomer(day);
    const status =
      END_DAY - day < 3 && this.rng.chance(0.3) ? "draft" : this.rng.chance(0.015) ? "cancelled" : "posted";
    const invoiceId = this.tables.invoices.length + 1;
    const cashier = this.rng.pick(
      day < CASHIER_CHANGE_DAY
        ? [USER.cashierA, USER.cashierB, USER.formerCashier]
        : [USER.cashierA, USER.cashierB, USER.newCashier],
    );
    const createdBy = this.rng.chance(0.08) ? USER.manager : cashier;
    const lines = this.invoiceLines(customer, day, status === "posted", invoiceId, createdBy);
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
      created_at: timestamp(day, this.rng.int(570, 1230)),
    };
    this.tables.invoices.push(invoice);
    for (const line of lines) {
      this.tables.invoice_items.push(line.row);
      if (status === "posted") this.maybeScheduleReturn(invoice, line.row, line.product, customer.id, day);
    }
    if (status === "posted") this.payInvoice(invoice, customer, day, total);
  }

  private pickCustomer(day: number): Customer {
    const wantBusiness = this.rng.chance(0.36);
    for (;;) {
      // Older customers buy more often: skew the pick towards the front of the list (by join date).
      const customer = this.customers[Math.floor(Math.pow(this.rng.next(), 1.5) * this.customers.length)];
      if (customer.sinceDay <= day && (customer.type === "business") === wantBusiness) return customer;
    }
  }

  private invoiceLines(customer: Customer, day: number, posted: boolean, invoiceId: number, user: number) {
    const lineCount = customer.type === "business" ? this.rng.int(3, 11) : this.rng.int(1, 5);
    const chosen = new Set<Product>();
    for (let attempt = 0; attempt < lineCount * 2 && chosen.size < lineCount; attempt++) {
      chosen.add(this.sellable[this.rng.weightedIndex(this.sellableWeights)]);
    }
    const lines: { row: Row; product: Product; paise: Record<string, number> }[] = [];
    for (const product of chosen) {
      const wanted = this.quantityFor(product, customer);
      const quantity = posted ? Math.min(wanted, product.onHand) : wanted;
      if (quantity <= 0) continue;
      const unitPrice = day < PRICE_REVISION_DAY ? product.oldPrice : product.newPrice;
      const discountPercent =
        customer.type === "business" ? customer.discountPercent : this.rng.chance(0.1) ? 5 : 0;
      const gross = quantity * unitPrice;
      const discount = percentOf(gross, discountPercent);
      const taxable = gross - discount;
      const gst = percentOf(taxable, product.gstRate);
      const itemId = this.tables.invoice_items.length + lines.length + 1;
      const cost = posted
        ? this.consumeFifo(product, quantity, day, "sale", "invoice_item", itemId, user, null)
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

  private quantityFor(product: Product, customer: Customer): number {
    const retail =
      product.oldPrice < 10_000
        ? this.rng.int(2, 10)
        : product.oldPrice < 100_000
          ? this.rng.int(1, 4)
          : this.rng.chance(0.8)
            ? 1
            : 2;
    if (customer.type === "retail") return retail;
    const scale =
      product.oldPrice < 10_000
        ? this.rng.int(3, 12)
        : product.oldPrice < 100_000
          ? this.rng.int(2, 6)
          : this.rng.int(1, 3);
    return retail * scale;
  }

  private payInvoice(invoice: Row, customer: Customer, day: number, total: number): void {
    if (customer.type === "retail") {
      if (this.rng.chance(0.96))
        return this.addCustomerPayment(
          invoice,
          day,
          total,
          this.rng.pick(["cash", "cash", "upi", "upi", "card"]),
        );
      const advance = Math.round(total / 2);
      this.addCustomerPayment(invoice, day, advance, "cash");
      return this.addCustomerPayment(invoice, day + this.rng.int(3, 40), total - advance, "upi");
    }
    const dueDay = day + customer.terms;
    let payDay: number;
    if (customer.payer === "prompt")
      payDay = day + this.rng.int(Math.floor(customer.terms * 0.3), customer.terms);
    else if (customer.payer === "late") payDay = dueDay + this.rng.int(3, 45);
    else if (this.rng.chance(0.4)) return;
    else payDay = dueDay + this.rng.int(30, 120);
    const method = this.rng.pick(["bank_transfer", "bank_transfer", "cheque", "upi"]);
    if (this.rng.chance(0.8)) return this.addCustomerPayment(invoice, payDay, total, method);
    const first = Math.round((total * this.rng.int(40, 70)) / 100);
    this.addCustomerPayment(invoice, Math.max(day, payDay - this.rng.int(5, 20)), first, method);
    if (customer.payer !== "bad" || this.rng.chance(0.5))
      this.addCustomerPayment(invoice, payDay, total - first, method);
  }

  private addCustomerPayment(invoice: Row, day: number, amount: number, method: string): void {
    if (day > END_DAY || amount <= 0) return;
    invoice.amount_paid = rupees(Math.round(Number(invoice.amount_paid) * 100) + amount);
    const business = method === "bank_transfer" || method === "cheque";
    this.customerPayments.push({
      day,
      amount,
      row: {
        customer_id: invoice.customer_id,
        invoice_id: invoice.id,
        payment_date: isoDate(day),
        amount: rupees(amount),
        method,
        reference: this.paymentReference(method),
        received_by: business ? USER.accountant : Number(invoice.created_by),
      },
    });
  }

  private maybeScheduleReturn(
    invoice: Row,
    itemRow: Row,
    product: Product,
    customerId: number,
    day: number,
  ): void {
    if (!this.rng.chance(0.012)) return;
    const returnDay = day + this.rng.int(1, 15);
    if (returnDay > END_DAY) return;
    const soldQuantity = Number(itemRow.quantity);
    const quantity = this.rng.chance(0.7) ? 1 : this.rng.int(1, soldQuantity);
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
    const due = this.returnsDue.get(returnDay) ?? [];
    due.push(pending);
    this.returnsDue.set(returnDay, due);
  }

  private processReturn(pending: PendingReturn, day: number): void {
    const reason = this.rng.pick(RETURN_REASONS);
    const restocked = reason !== "Defective" && reason !== "Damaged in transit" ? 1 : 0;
    const returnId = this.tables.returns.length + 1;
    this.tables.returns.push({
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
      this.receiveBatch(pending.product, day, pending.quantity, pending.unitCost, "return", null, returnId);
  }

  // ---- stock ---------------------------------------------------------------------------------

  private receiveBatch(
    product: Product,
    day: number,
    quantity: number,
    unitCost: number,
    source: "opening" | "purchase" | "return",
    poItemId: number | null,
    returnId?: number,
  ): void {
    const batchId = this.tables.inventory_batches.length + 1;
    const batch: Batch = { id: batchId, remaining: quantity, unitCost };
    product.batches.push(batch);
    product.onHand += quantity;
    this.tables.inventory_batches.push({
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
    this.addMovement(
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
  private consumeFifo(
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
      this.addMovement(product, batch, day, type, -taken, referenceType, referenceId, user, note);
      if (batch.remaining === 0) product.firstBatch++;
    }
    product.onHand -= quantity;
    return cost;
  }

  private addMovement(
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
    this.tables.stock_movements.push({
      id: this.tables.stock_movements.length + 1,
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

  private adjustStock(day: number): void {
    for (let count = 0; count < 4; count++) {
      const product = this.rng.pick(this.products);
      if (product.onHand <= 5) continue;
      const note = this.rng.pick(ADJUSTMENT_NOTES);
      this.consumeFifo(
        product,
        this.rng.int(1, 3),
        day,
        "adjustment",
        "adjustment",
        null,
        USER.storekeeper,
        note,
      );
    }
  }

  // ---- purchasing ----------------------------------------------------------------------------

  /** Orders everything at or under its reorder level, topping up items that are close to it. */
  private reorderFrom(supplier: Supplier, day: number): void {
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
    const draft = END_DAY - day < 4 && this.rng.chance(0.4);
    const order = this.createPurchaseOrder(supplier, day, [...needed, ...topUp], draft);
    if (draft) return;
    const arrival = day + supplier.leadTime + this.rng.int(-1, 3);
    if (this.rng.chance(0.03)) this.schedule(day + this.rng.int(1, 3), order, "cancel");
    else if (this.rng.chance(0.12)) {
      this.schedule(arrival, order, 0.4 + this.rng.next() * 0.4);
      this.schedule(arrival + this.rng.int(5, 14), order, "rest");
    } else this.schedule(arrival, order, "rest");
  }

  private createPurchaseOrder(
    supplier: Supplier,
    day: number,
    products: Product[],
    draft: boolean,
  ): PurchaseOrder {
    const orderId = this.tables.purchase_orders.length + 1;
    const items = products.map((product) => {
      const unitCost = day < PRICE_REVISION_DAY ? product.oldCost : product.newCost;
      const quantity = product.reorderQuantity;
      const tax = percentOf(quantity * unitCost, product.gstRate);
      if (!draft) product.onOrder += quantity;
      const row: Row = {
        id: this.tables.purchase_order_items.length + 1,
        purchase_order_id: orderId,
        product_id: product.id,
        quantity_ordered: quantity,
        quantity_received: 0,
        unit_cost: rupees(unitCost),
        gst_rate: product.gstRate,
        tax_amount: rupees(tax),
        line_total: rupees(quantity * unitCost + tax),
      };
      this.tables.purchase_order_items.push(row);
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
      created_by: this.rng.chance(0.8) ? USER.storekeeper : USER.manager,
      created_at: timestamp(day, this.rng.int(600, 1080)),
    };
    this.tables.purchase_orders.push(row);
    return { row, supplier, items };
  }

  private schedule(day: number, order: PurchaseOrder, share: number | "rest" | "cancel"): void {
    const events = this.receipts.get(day) ?? [];
    events.push({ order, share });
    this.receipts.set(day, events);
  }

  private handleReceipt(order: PurchaseOrder, share: number | "rest" | "cancel", day: number): void {
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
      this.receiveBatch(item.product, day, quantity, item.unitCost, "purchase", Number(item.row.id));
      value += quantity * item.unitCost + percentOf(quantity * item.unitCost, item.product.gstRate);
    }
    order.row.status = share === "rest" ? "received" : "partially_received";
    order.row.received_date = isoDate(day);
    order.row.received_amount = rupees(Math.round(Number(order.row.received_amount) * 100) + value);
    this.paySupplier(order, day, value);
  }

  private paySupplier(order: PurchaseOrder, receiptDay: number, value: number): void {
    const payDay = receiptDay + order.supplier.terms + this.rng.int(-7, 12);
    const method = this.rng.pick(["bank_transfer", "bank_transfer", "bank_transfer", "cheque", "upi"]);
    const first = this.rng.chance(0.15) ? Math.round(value * 0.5) : value;
    this.addSupplierPayment(order, payDay, first, method);
    if (first < value) this.addSupplierPayment(order, payDay + this.rng.int(10, 30), value - first, method);
  }

  private addSupplierPayment(order: PurchaseOrder, day: number, amount: number, method: string): void {
    if (day > END_DAY) return;
    order.row.amount_paid = rupees(Math.round(Number(order.row.amount_paid) * 100) + amount);
    this.supplierPayments.push({
      day,
      amount,
      row: {
        supplier_id: order.supplier.id,
        purchase_order_id: order.row.id,
        payment_date: isoDate(day),
        amount: rupees(amount),
        method,
        reference: this.paymentReference(method),
        paid_by: USER.accountant,
      },
    });
  }

  // ---- wrap-up ------------------------------------------------------------------------------

  /** Numbers payments in date order, and derives each invoice's status from what was paid. */
  private finishPayments(): void {
    const number = (payments: Payment[], table: string, column: string, prefix: string): void => {
      payments.sort((a, b) => a.day - b.day);
      payments.forEach((payment, index) => {
        this.tables[table].push({
          id: index + 1,
          [column]: documentNumber(prefix, index + 1, 6),
          ...payment.row,
        });
      });
    };
    number(this.customerPayments, "customer_payments", "receipt_number", "RCPT");
    number(this.supplierPayments, "supplier_payments", "payment_number", "PAY");
    for (const invoice of this.tables.invoices) {
      if (invoice.status !== "posted") continue;
      const paid = Math.round(Number(invoice.amount_paid) * 100);
      const total = Math.round(Number(invoice.total_amount) * 100);
      invoice.status = paid >= total ? "paid" : paid > 0 ? "partially_paid" : "unpaid";
    }
  }

  /** Writes the current prices, reorder policy, activity and remaining batch quantities. */
  private finishProducts(): void {
    for (const product of this.products) {
      const row = this.tables.products[product.id - 1];
      Object.assign(row, {
        cost_price: rupees(product.newCost),
        sale_price: rupees(product.newPrice),
        reorder_level: product.reorderLevel,
        reorder_quantity: product.reorderQuantity,
        is_active: product.discontinued ? 0 : 1,
      });
      for (const batch of product.batches)
        this.tables.inventory_batches[batch.id - 1].quantity_remaining = batch.remaining;
    }
  }

  // ---- small generators ----------------------------------------------------------------------

  private personName(): string {
    return `${this.rng.pick(FIRST_NAMES)} ${this.rng.pick(SURNAMES)}`;
  }

  private phone(): string {
    return `+91 9${this.digits(4)} ${this.digits(5)}`;
  }

  private gstin(state: string): string {
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const pan =
      Array.from({ length: 5 }, () => this.rng.pick([...letters])).join("") +
      this.digits(4) +
      this.rng.pick([...letters]);
    return `${STATE_CODES[state]}${pan}1Z${this.rng.int(1, 9)}`;
  }

  private paymentReference(method: string): string | null {
    switch (method) {
      case "upi":
        return `UPI${this.digits(12)}`;
      case "card":
        return `CARD **** ${this.digits(4)}`;
      case "bank_transfer":
        return `NEFT${this.digits(12)}`;
      case "cheque":
        return `CHQ ${this.digits(6)}`;
      default:
        return null;
    }
  }

  private digits(count: number): string {
    return Array.from({ length: count }, () => this.rng.int(0, 9)).join("");
  }
}

/** Prices over ₹100 end in 0 or 5 rupees; cheaper ones in whole rupees. Input and output in paise. */
function roundPrice(paise: number): number {
  const step = paise >= 10_000 ? 500 : 100;
  return Math.max(step, Math.round(paise / step) * step);
}

/** A rough units-per-line for a product of this price (paise), used to size reorder levels. */
function typicalQuantity(pricePaise: number): number {
  if (pricePaise < 10_000) return 0.4 * 6 + 0.6 * 45;
  if (pricePaise < 100_000) return 0.4 * 2.5 + 0.6 * 10;
  return 0.4 * 1.2 + 0.6 * 2.4;
}
