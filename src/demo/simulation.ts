/**
 * The state the demo generator's parts share while they simulate the store day by day: one seeded
 * random stream, the tables being filled, and the in-memory products, suppliers, customers and what
 * is scheduled for later days. Money is computed in paise (integers) and stored in rupees.
 */
import { toDay } from "./calendar.js";
import { Random } from "./random.js";

export type Row = Record<string, string | number | null>;
export type DemoTables = Record<string, Row[]>;

export const DEMO_START_DATE = "2024-11-01";
export const DEMO_END_DATE = "2026-10-31";

export const START_DAY = toDay(DEMO_START_DATE);
export const END_DAY = toDay(DEMO_END_DATE);
export const PRICE_REVISION_DAY = toDay("2025-11-01");
export const DISCONTINUE_DAY = toDay("2026-04-01");
export const CASHIER_CHANGE_DAY = toDay("2025-07-01");

/** The ids of the store's users (rows of the users table). */
export const USER = {
  owner: 1,
  manager: 2,
  cashierA: 3,
  cashierB: 4,
  formerCashier: 5,
  storekeeper: 6,
  accountant: 7,
  newCashier: 8,
};

export interface Batch {
  id: number;
  remaining: number;
  unitCost: number;
}

export interface Product {
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

export interface Customer {
  id: number;
  type: "retail" | "business";
  state: string;
  terms: number;
  payer: "prompt" | "late" | "bad";
  discountPercent: number;
  sinceDay: number;
}

export interface Supplier {
  id: number;
  terms: number;
  leadTime: number;
  products: Product[];
}

export interface PurchaseOrder {
  row: Row;
  supplier: Supplier;
  items: { row: Row; product: Product; unitCost: number }[];
}

/** What a scheduled receipt does to its order: receive this fraction, the rest, or cancel it. */
export type ReceiptShare = number | "rest" | "cancel";

export interface PendingReturn {
  invoiceRow: Row;
  itemRow: Row;
  product: Product;
  quantity: number;
  refund: number;
  unitCost: number;
  customerId: number;
}

export interface Payment {
  day: number;
  amount: number;
  row: Row;
}

export interface Simulation {
  readonly rng: Random;
  readonly tables: DemoTables;
  readonly products: Product[];
  readonly suppliers: Supplier[];
  readonly customers: Customer[];
  /** Purchase-order receipts by the day they arrive. */
  readonly receipts: Map<number, { order: PurchaseOrder; share: ReceiptShare }[]>;
  /** Returns by the day they come back. */
  readonly returnsDue: Map<number, PendingReturn[]>;
  readonly customerPayments: Payment[];
  readonly supplierPayments: Payment[];
  /** A sales weight per product, by product index. */
  popularity: number[];
  /** The products still sold, and their cumulative popularity for a weighted pick. */
  sellable: Product[];
  sellableWeights: number[];
}

export function newSimulation(seed: number): Simulation {
  return {
    rng: new Random(seed),
    tables: {
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
    },
    products: [],
    suppliers: [],
    customers: [],
    receipts: new Map(),
    returnsDue: new Map(),
    customerPayments: [],
    supplierPayments: [],
    popularity: [],
    sellable: [],
    sellableWeights: [],
  };
}

export function refreshSellable(sim: Simulation): void {
  sim.sellable = sim.products.filter((product) => !product.discontinued);
  let total = 0;
  sim.sellableWeights = sim.sellable.map((product) => (total += sim.popularity[product.id - 1]));
}

export const rupees = (paise: number): number => paise / 100;
export const documentNumber = (prefix: string, id: number, digits: number): string =>
  `${prefix}-${String(id).padStart(digits, "0")}`;
export const percentOf = (paise: number, percent: number): number => Math.round((paise * percent) / 100);
