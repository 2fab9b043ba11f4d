/**
 * The demo store's people and catalogue: users, categories, suppliers, products (with their prices
 * and reorder policy) and customers.
 */
import { timestamp } from "./calendar.js";
import {
  BUSINESS_NAME_KINDS,
  BUSINESS_NAME_PARTS,
  CATEGORIES,
  CITIES,
  SUPPLIER_NAME_KINDS,
} from "./catalog.js";
import { gstin, personName, phone } from "./contacts.js";
import {
  CASHIER_CHANGE_DAY,
  refreshSellable,
  START_DAY,
  type Customer,
  type Product,
  type Simulation,
  type Supplier,
} from "./simulation.js";

/** A rough number of invoice lines a day, to size reorder levels before any sale happened. */
const ESTIMATED_LINES_PER_DAY = 40;

export function addUsers(sim: Simulation): void {
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
    sim.tables.users.push({
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

export function addSuppliersAndProducts(sim: Simulation): void {
  const usedNames = new Set<string>();
  CATEGORIES.forEach((category, categoryIndex) => {
    const categoryId = categoryIndex + 1;
    sim.tables.categories.push({
      id: categoryId,
      name: category.name,
      description: category.description,
      hsn_code: category.hsnCode,
      gst_rate: category.gstRate,
    });
    const categorySuppliers = [
      addSupplier(sim, category.brands[0], usedNames),
      addSupplier(sim, category.brands[2], usedNames),
    ];
    for (const [itemName, unit, basePrice] of category.items) {
      for (const [variant, multiplier] of category.variants) {
        const brandCount = sim.rng.chance(0.3) ? 2 : 1;
        const brands = sim.rng.shuffle([...category.brands]).slice(0, brandCount);
        for (const brand of brands) {
          const supplier = sim.rng.pick(categorySuppliers);
          addProduct(sim, {
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
  sim.popularity = sim.rng.shuffle(sim.products.map((_, rank) => 1 / Math.pow(rank + 1, 0.85)));
  sim.products.forEach((product, index) => setReorderPolicy(sim, product, sim.popularity[index]));
  refreshSellable(sim);
}

function addSupplier(sim: Simulation, brand: string, usedNames: Set<string>): Supplier {
  let name: string;
  do name = `${sim.rng.pick(BUSINESS_NAME_PARTS)} ${brand} ${sim.rng.pick(SUPPLIER_NAME_KINDS)}`;
  while (usedNames.has(name));
  usedNames.add(name);
  const [city, state] = sim.rng.chance(0.6) ? sim.rng.pick(CITIES.slice(0, 3)) : sim.rng.pick(CITIES);
  const supplier: Supplier = {
    id: sim.suppliers.length + 1,
    terms: sim.rng.pick([15, 30, 30, 45, 60]),
    leadTime: sim.rng.int(2, 12),
    products: [],
  };
  sim.suppliers.push(supplier);
  sim.tables.suppliers.push({
    id: supplier.id,
    name,
    contact_person: personName(sim.rng),
    phone: phone(sim.rng),
    email: `sales@${name.toLowerCase().replace(/[^a-z]+/g, "")}.in`,
    gstin: gstin(sim.rng, state),
    city,
    state,
    payment_terms_days: supplier.terms,
    lead_time_days: supplier.leadTime,
    is_active: 1,
    created_at: timestamp(START_DAY - sim.rng.int(100, 900), 660),
  });
  return supplier;
}

function addProduct(
  sim: Simulation,
  spec: {
    categoryId: number;
    supplier: Supplier;
    brand: string;
    name: string;
    unit: string;
    gstRate: number;
    hsnCode: string;
    salePrice: number;
  },
): void {
  const oldPrice = roundPrice(spec.salePrice * (0.9 + sim.rng.next() * 0.25) * 100);
  const margin = 1.2 + sim.rng.next() * 0.25;
  const revision = 1.03 + sim.rng.next() * 0.05;
  const product: Product = {
    id: sim.products.length + 1,
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
  sim.products.push(product);
  spec.supplier.products.push(product);
  sim.tables.products.push({
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
    created_at: timestamp(START_DAY - sim.rng.int(30, 600), 700),
  });
}

/** Reorder level covers the supplier's lead time plus a few days; an order covers about six weeks. */
function setReorderPolicy(sim: Simulation, product: Product, popularity: number): void {
  const share = popularity / sim.popularity.reduce((sum, weight) => sum + weight, 0);
  const dailyDemand = ESTIMATED_LINES_PER_DAY * share * typicalQuantity(product.oldPrice);
  const leadTime = sim.suppliers[product.supplierId - 1].leadTime;
  product.reorderLevel = Math.max(3, Math.ceil(dailyDemand * (leadTime + 5)));
  product.reorderQuantity = Math.max(10, Math.ceil((dailyDemand * 42) / 5) * 5);
}

export function addCustomers(sim: Simulation): void {
  const usedNames = new Set<string>();
  for (let index = 0; index < 440; index++) {
    const type = index % 3 === 0 ? "business" : "retail";
    let name: string;
    do
      name =
        type === "business"
          ? `${sim.rng.pick(BUSINESS_NAME_PARTS)} ${sim.rng.pick(BUSINESS_NAME_KINDS)}`
          : personName(sim.rng);
    while (usedNames.has(name));
    usedNames.add(name);
    const [city, state] =
      type === "business" && sim.rng.chance(0.25)
        ? sim.rng.pick(CITIES.slice(6))
        : sim.rng.pick(CITIES.slice(0, 6));
    const sinceDay = sim.rng.chance(0.65)
      ? START_DAY - sim.rng.int(10, 900)
      : START_DAY + sim.rng.int(0, 660);
    const customer: Customer = {
      id: index + 1,
      type,
      state,
      terms: type === "business" ? sim.rng.pick([15, 30, 30, 45]) : 0,
      payer: sim.rng.chance(0.62) ? "prompt" : sim.rng.chance(0.75) ? "late" : "bad",
      discountPercent: type === "business" ? sim.rng.pick([0, 2, 5, 5, 7.5, 10]) : 0,
      sinceDay,
    };
    sim.customers.push(customer);
    sim.tables.customers.push({
      id: customer.id,
      name,
      customer_type: type,
      phone: phone(sim.rng),
      email: sim.rng.chance(0.7) ? `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@gmail.com` : null,
      gstin: type === "business" ? gstin(sim.rng, state) : null,
      city,
      state,
      credit_limit:
        type === "business" ? sim.rng.pick([50_000, 100_000, 100_000, 200_000, 300_000, 500_000]) : 0,
      payment_terms_days: customer.terms,
      is_active: 1,
      created_at: timestamp(sinceDay, sim.rng.int(570, 1200)),
    });
  }
  sim.customers.sort((a, b) => a.sinceDay - b.sinceDay || a.id - b.id);
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
