-- Demo inventory database of "Pune Hardware & Electricals", a hardware and electrical store in
-- Pune, Maharashtra (India). Money is in INR (rupees, 2 decimals); dates are TEXT 'YYYY-MM-DD',
-- timestamps TEXT 'YYYY-MM-DD HH:MM:SS'. The data runs from 2024-11-01 to 2026-10-31.

-- People who use the app.
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  full_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'cashier', 'storekeeper', 'accountant')),
  email TEXT,
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);

-- Key/value settings of the app (business name, GSTIN, home state, currency, ...).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Product categories; gst_rate is the default GST percent of products in the category.
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  hsn_code TEXT NOT NULL,
  gst_rate REAL NOT NULL
);

CREATE TABLE suppliers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  contact_person TEXT,
  phone TEXT,
  email TEXT,
  gstin TEXT,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  payment_terms_days INTEGER NOT NULL,
  lead_time_days INTEGER NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);

-- cost_price and sale_price are the current prices, excluding GST. gst_rate is a percent
-- (5, 12, 18 or 28). Stock on hand is not stored here: it is SUM(inventory_batches.quantity_remaining).
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  category_id INTEGER NOT NULL REFERENCES categories(id),
  supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
  brand TEXT,
  unit TEXT NOT NULL,
  hsn_code TEXT NOT NULL,
  cost_price REAL NOT NULL,
  sale_price REAL NOT NULL,
  gst_rate REAL NOT NULL,
  reorder_level INTEGER NOT NULL,
  reorder_quantity INTEGER NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);

-- customer_type 'retail' pays on the spot (payment_terms_days 0, credit_limit 0); 'business'
-- customers buy on credit up to credit_limit and pay within payment_terms_days.
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  customer_type TEXT NOT NULL CHECK (customer_type IN ('retail', 'business')),
  phone TEXT,
  email TEXT,
  gstin TEXT,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  credit_limit REAL NOT NULL DEFAULT 0,
  payment_terms_days INTEGER NOT NULL DEFAULT 0,
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);

-- Sales invoices. Only status IN ('paid', 'partially_paid', 'unpaid') are sales; 'draft' and
-- 'cancelled' invoices are not (they moved no stock). subtotal = sum of qty * unit_price;
-- taxable_amount = subtotal - discount_amount; tax_amount = cgst + sgst + igst;
-- total_amount = taxable_amount + tax_amount; balance due = total_amount - amount_paid.
CREATE TABLE invoices (
  id INTEGER PRIMARY KEY,
  invoice_number TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  invoice_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'unpaid', 'partially_paid', 'paid', 'cancelled')),
  subtotal REAL NOT NULL,
  discount_amount REAL NOT NULL,
  taxable_amount REAL NOT NULL,
  cgst_amount REAL NOT NULL,
  sgst_amount REAL NOT NULL,
  igst_amount REAL NOT NULL,
  tax_amount REAL NOT NULL,
  total_amount REAL NOT NULL,
  amount_paid REAL NOT NULL DEFAULT 0,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
);

-- One line of an invoice. discount_amount = quantity * unit_price * discount_percent / 100;
-- taxable_amount = quantity * unit_price - discount_amount; gst_amount = taxable_amount * gst_rate / 100;
-- line_total = taxable_amount + gst_amount. cost_amount is the FIFO cost of the goods sold.
CREATE TABLE invoice_items (
  id INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  unit_price REAL NOT NULL,
  discount_percent REAL NOT NULL DEFAULT 0,
  discount_amount REAL NOT NULL DEFAULT 0,
  taxable_amount REAL NOT NULL,
  gst_rate REAL NOT NULL,
  gst_amount REAL NOT NULL,
  line_total REAL NOT NULL,
  cost_amount REAL NOT NULL DEFAULT 0
);

-- Purchase orders to suppliers. Workflow: draft -> ordered -> partially_received -> received;
-- or cancelled. total_amount is the ordered value with GST; received_amount the value (with GST)
-- of the goods received so far; amount_paid what was paid to the supplier for this order.
CREATE TABLE purchase_orders (
  id INTEGER PRIMARY KEY,
  po_number TEXT NOT NULL UNIQUE,
  supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
  order_date TEXT NOT NULL,
  expected_date TEXT NOT NULL,
  received_date TEXT,
  status TEXT NOT NULL CHECK (status IN ('draft', 'ordered', 'partially_received', 'received', 'cancelled')),
  subtotal REAL NOT NULL,
  tax_amount REAL NOT NULL,
  total_amount REAL NOT NULL,
  received_amount REAL NOT NULL DEFAULT 0,
  amount_paid REAL NOT NULL DEFAULT 0,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
);

CREATE TABLE purchase_order_items (
  id INTEGER PRIMARY KEY,
  purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  quantity_ordered INTEGER NOT NULL CHECK (quantity_ordered > 0),
  quantity_received INTEGER NOT NULL DEFAULT 0,
  unit_cost REAL NOT NULL,
  gst_rate REAL NOT NULL,
  tax_amount REAL NOT NULL,
  line_total REAL NOT NULL
);

-- Money received from customers against an invoice. method: cash, upi, card, bank_transfer, cheque.
CREATE TABLE customer_payments (
  id INTEGER PRIMARY KEY,
  receipt_number TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  payment_date TEXT NOT NULL,
  amount REAL NOT NULL CHECK (amount > 0),
  method TEXT NOT NULL CHECK (method IN ('cash', 'upi', 'card', 'bank_transfer', 'cheque')),
  reference TEXT,
  received_by INTEGER NOT NULL REFERENCES users(id)
);

-- Money paid to suppliers against a purchase order. method: bank_transfer, cheque, upi, cash.
CREATE TABLE supplier_payments (
  id INTEGER PRIMARY KEY,
  payment_number TEXT NOT NULL UNIQUE,
  supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
  purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders(id),
  payment_date TEXT NOT NULL,
  amount REAL NOT NULL CHECK (amount > 0),
  method TEXT NOT NULL CHECK (method IN ('cash', 'upi', 'bank_transfer', 'cheque')),
  reference TEXT,
  paid_by INTEGER NOT NULL REFERENCES users(id)
);

-- FIFO stock batches: one per receipt (source 'opening' stock, 'purchase' receipt of a purchase
-- order item, or restocked customer 'return'). Sales and adjustments consume the oldest batch
-- first; quantity_remaining is what is left of the batch now. Stock value = quantity_remaining * unit_cost.
CREATE TABLE inventory_batches (
  id INTEGER PRIMARY KEY,
  batch_number TEXT NOT NULL UNIQUE,
  product_id INTEGER NOT NULL REFERENCES products(id),
  source TEXT NOT NULL CHECK (source IN ('opening', 'purchase', 'return')),
  purchase_order_item_id INTEGER REFERENCES purchase_order_items(id),
  received_date TEXT NOT NULL,
  quantity_received INTEGER NOT NULL CHECK (quantity_received > 0),
  quantity_remaining INTEGER NOT NULL CHECK (quantity_remaining >= 0),
  unit_cost REAL NOT NULL
);

-- Every change of stock, per batch. quantity is signed: + into stock (opening, purchase,
-- sale_return), - out of stock (sale, adjustment). For a batch, SUM(quantity) = quantity_remaining.
-- reference_type/reference_id name the document: invoice_item, purchase_order_item, return, adjustment.
CREATE TABLE stock_movements (
  id INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products(id),
  batch_id INTEGER NOT NULL REFERENCES inventory_batches(id),
  movement_type TEXT NOT NULL CHECK (movement_type IN ('opening', 'purchase', 'sale', 'sale_return', 'adjustment')),
  quantity INTEGER NOT NULL,
  unit_cost REAL NOT NULL,
  reference_type TEXT,
  reference_id INTEGER,
  movement_date TEXT NOT NULL,
  note TEXT,
  created_by INTEGER NOT NULL REFERENCES users(id)
);

-- Goods returned by customers (one row per returned invoice line). refund_amount includes GST.
-- restocked = 1 when the goods went back into stock (as a new 'return' batch), 0 when damaged.
CREATE TABLE returns (
  id INTEGER PRIMARY KEY,
  return_number TEXT NOT NULL UNIQUE,
  invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  invoice_item_id INTEGER NOT NULL REFERENCES invoice_items(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  product_id INTEGER NOT NULL REFERENCES products(id),
  return_date TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  refund_amount REAL NOT NULL,
  reason TEXT NOT NULL,
  restocked INTEGER NOT NULL,
  processed_by INTEGER NOT NULL REFERENCES users(id)
);

CREATE INDEX idx_products_category ON products(category_id);
CREATE INDEX idx_products_supplier ON products(supplier_id);
CREATE INDEX idx_invoices_customer ON invoices(customer_id);
CREATE INDEX idx_invoices_date ON invoices(invoice_date);
CREATE INDEX idx_invoices_created_by ON invoices(created_by);
CREATE INDEX idx_invoice_items_invoice ON invoice_items(invoice_id);
CREATE INDEX idx_invoice_items_product ON invoice_items(product_id);
CREATE INDEX idx_purchase_orders_supplier ON purchase_orders(supplier_id);
CREATE INDEX idx_purchase_orders_created_by ON purchase_orders(created_by);
CREATE INDEX idx_po_items_order ON purchase_order_items(purchase_order_id);
CREATE INDEX idx_po_items_product ON purchase_order_items(product_id);
CREATE INDEX idx_customer_payments_customer ON customer_payments(customer_id);
CREATE INDEX idx_customer_payments_invoice ON customer_payments(invoice_id);
CREATE INDEX idx_customer_payments_received_by ON customer_payments(received_by);
CREATE INDEX idx_supplier_payments_supplier ON supplier_payments(supplier_id);
CREATE INDEX idx_supplier_payments_order ON supplier_payments(purchase_order_id);
CREATE INDEX idx_supplier_payments_paid_by ON supplier_payments(paid_by);
CREATE INDEX idx_batches_product ON inventory_batches(product_id, received_date);
CREATE INDEX idx_batches_po_item ON inventory_batches(purchase_order_item_id);
CREATE INDEX idx_movements_product ON stock_movements(product_id, movement_date);
CREATE INDEX idx_movements_batch ON stock_movements(batch_id);
CREATE INDEX idx_movements_reference ON stock_movements(reference_type, reference_id);
CREATE INDEX idx_movements_created_by ON stock_movements(created_by);
CREATE INDEX idx_returns_invoice ON returns(invoice_id);
CREATE INDEX idx_returns_invoice_item ON returns(invoice_item_id);
CREATE INDEX idx_returns_customer ON returns(customer_id);
CREATE INDEX idx_returns_product ON returns(product_id);
CREATE INDEX idx_returns_processed_by ON returns(processed_by);
