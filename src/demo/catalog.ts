/**
 * Data table: the static names and price lists the demo generator draws from (a hardware and
 * electrical store in Pune). It is long because it is data, not logic; keep code out of it.
 */

export interface CategorySpec {
  name: string;
  description: string;
  hsnCode: string;
  gstRate: number;
  brands: readonly string[];
  /** [item name, unit, base sale price in rupees] */
  items: readonly (readonly [string, string, number])[];
  /** [variant suffix, price multiplier] */
  variants: readonly (readonly [string, number])[];
}

export const CATEGORIES: readonly CategorySpec[] = [
  {
    name: "Wires & Cables",
    description: "House wiring, flexible and armoured cables",
    hsnCode: "8544",
    gstRate: 18,
    brands: ["Havells", "Polycab", "Finolex", "KEI"],
    items: [
      ["FR House Wire 90m", "roll", 1450],
      ["Flexible Cable 90m", "roll", 1650],
      ["Armoured Cable", "m", 210],
      ["Coaxial Cable 90m", "roll", 1100],
      ["Submersible Flat Cable", "m", 95],
    ],
    variants: [
      ["1 sq mm", 0.7],
      ["1.5 sq mm", 1],
      ["2.5 sq mm", 1.55],
      ["4 sq mm", 2.4],
      ["6 sq mm", 3.5],
    ],
  },
  {
    name: "Switches & Sockets",
    description: "Modular switches, sockets, plates and distribution boards",
    hsnCode: "8536",
    gstRate: 18,
    brands: ["Anchor", "Legrand", "GM", "Schneider"],
    items: [
      ["Modular Switch", "pcs", 45],
      ["Modular Socket", "pcs", 120],
      ["Switch Plate", "pcs", 160],
      ["MCB Single Pole", "pcs", 210],
      ["Distribution Board", "pcs", 1850],
    ],
    variants: [
      ["6A", 1],
      ["16A", 1.35],
      ["White", 1],
      ["Grey Premium", 1.6],
    ],
  },
  {
    name: "Lighting",
    description: "LED bulbs, battens, panels and street lights",
    hsnCode: "9405",
    gstRate: 12,
    brands: ["Philips", "Syska", "Wipro", "Crompton"],
    items: [
      ["LED Bulb", "pcs", 110],
      ["LED Batten", "pcs", 420],
      ["LED Panel Light", "pcs", 650],
      ["LED Flood Light", "pcs", 1450],
      ["Emergency Light", "pcs", 980],
    ],
    variants: [
      ["9W", 1],
      ["12W", 1.3],
      ["20W", 1.8],
      ["36W", 2.6],
    ],
  },
  {
    name: "Fans & Appliances",
    description: "Ceiling, wall and exhaust fans, water heaters",
    hsnCode: "8414",
    gstRate: 18,
    brands: ["Crompton", "Havells", "Bajaj", "Orient"],
    items: [
      ["Ceiling Fan", "pcs", 2300],
      ["Exhaust Fan", "pcs", 1150],
      ["Wall Fan", "pcs", 2100],
      ["Instant Water Heater", "pcs", 3900],
      ["Storage Water Heater", "pcs", 8200],
    ],
    variants: [
      ["Standard", 1],
      ["Deluxe", 1.25],
      ["Energy Saver", 1.45],
    ],
  },
  {
    name: "Pipes & Fittings",
    description: "CPVC, UPVC and PVC pipes with their fittings",
    hsnCode: "3917",
    gstRate: 18,
    brands: ["Astral", "Supreme", "Finolex", "Ashirvad"],
    items: [
      ["CPVC Pipe 3m", "pcs", 260],
      ["UPVC Pipe 3m", "pcs", 340],
      ["PVC Elbow", "pcs", 18],
      ["PVC Tee", "pcs", 24],
      ["Ball Valve", "pcs", 310],
      ["Solvent Cement 100ml", "pcs", 95],
    ],
    variants: [
      ["1/2 inch", 1],
      ["3/4 inch", 1.4],
      ["1 inch", 1.9],
      ["1.5 inch", 2.8],
    ],
  },
  {
    name: "Sanitaryware",
    description: "Taps, showers, basins and bathroom accessories",
    hsnCode: "6910",
    gstRate: 18,
    brands: ["Jaquar", "Cera", "Hindware", "Parryware"],
    items: [
      ["Pillar Tap", "pcs", 850],
      ["Wall Mixer", "pcs", 3200],
      ["Overhead Shower", "pcs", 1250],
      ["Wash Basin", "pcs", 2400],
      ["Health Faucet", "pcs", 650],
    ],
    variants: [
      ["Chrome", 1],
      ["Matt Black", 1.35],
      ["Premium", 1.7],
    ],
  },
  {
    name: "Paints & Coatings",
    description: "Emulsions, enamels, primers and putty",
    hsnCode: "3209",
    gstRate: 18,
    brands: ["Asian Paints", "Berger", "Nerolac", "Dulux"],
    items: [
      ["Interior Emulsion", "litre", 320],
      ["Exterior Emulsion", "litre", 410],
      ["Synthetic Enamel", "litre", 290],
      ["Wall Primer", "litre", 180],
      ["Wall Putty 20kg", "bag", 850],
    ],
    variants: [
      ["1 L", 1],
      ["4 L", 3.8],
      ["10 L", 9.2],
      ["20 L", 18],
    ],
  },
  {
    name: "Cement & Building Materials",
    description: "Cement, white cement, tile adhesive and waterproofing",
    hsnCode: "2523",
    gstRate: 28,
    brands: ["UltraTech", "ACC", "Ambuja", "Dr. Fixit"],
    items: [
      ["OPC Cement 50kg", "bag", 390],
      ["PPC Cement 50kg", "bag", 370],
      ["White Cement", "bag", 520],
      ["Tile Adhesive 20kg", "bag", 610],
      ["Waterproofing Compound", "kg", 240],
    ],
    variants: [
      ["Standard", 1],
      ["Premium", 1.15],
    ],
  },
  {
    name: "Hand Tools",
    description: "Hammers, spanners, screwdrivers, pliers and measuring tools",
    hsnCode: "8205",
    gstRate: 18,
    brands: ["Taparia", "Stanley", "JK Tools", "Eastman"],
    items: [
      ["Claw Hammer", "pcs", 340],
      ["Combination Spanner Set", "set", 780],
      ["Screwdriver Set", "set", 420],
      ["Combination Plier", "pcs", 310],
      ["Measuring Tape", "pcs", 190],
      ["Hacksaw Frame", "pcs", 260],
    ],
    variants: [
      ["Small", 0.8],
      ["Medium", 1],
      ["Heavy Duty", 1.5],
    ],
  },
  {
    name: "Power Tools",
    description: "Drills, grinders, saws and their accessories",
    hsnCode: "8467",
    gstRate: 18,
    brands: ["Bosch", "Makita", "Dewalt", "Black+Decker"],
    items: [
      ["Impact Drill", "pcs", 3400],
      ["Angle Grinder", "pcs", 2900],
      ["Cordless Screwdriver", "pcs", 4200],
      ["Circular Saw", "pcs", 6800],
      ["Drill Bit Set", "set", 650],
    ],
    variants: [
      ["Home", 1],
      ["Professional", 1.6],
    ],
  },
  {
    name: "Fasteners",
    description: "Screws, anchors, bolts and nails",
    hsnCode: "7318",
    gstRate: 18,
    brands: ["Hettich", "Ozone", "Unbrako", "Fischer"],
    items: [
      ["Wood Screw Box of 100", "box", 180],
      ["Self Tapping Screw Box of 100", "box", 160],
      ["Wall Plug Pack of 100", "pack", 90],
      ["Anchor Bolt Pack of 10", "pack", 240],
      ["Wire Nails 1kg", "kg", 110],
    ],
    variants: [
      ["25 mm", 1],
      ["38 mm", 1.2],
      ["50 mm", 1.45],
      ["75 mm", 1.8],
    ],
  },
  {
    name: "Adhesives & Sealants",
    description: "Wood glue, silicone, epoxy and tapes",
    hsnCode: "3506",
    gstRate: 18,
    brands: ["Fevicol", "Pidilite", "Araldite", "3M"],
    items: [
      ["Wood Adhesive", "kg", 420],
      ["Silicone Sealant 300ml", "pcs", 280],
      ["Epoxy Adhesive", "pcs", 190],
      ["Insulation Tape", "pcs", 25],
      ["Masking Tape", "pcs", 60],
    ],
    variants: [
      ["Regular", 1],
      ["Industrial", 1.7],
    ],
  },
  {
    name: "Safety Equipment",
    description: "Helmets, gloves, goggles and safety shoes",
    hsnCode: "6506",
    gstRate: 12,
    brands: ["Karam", "Udyogi", "3M", "Allen Cooper"],
    items: [
      ["Safety Helmet", "pcs", 260],
      ["Cotton Gloves Pair", "pcs", 45],
      ["Safety Goggles", "pcs", 140],
      ["Safety Shoes", "pcs", 1350],
      ["Reflective Jacket", "pcs", 220],
    ],
    variants: [
      ["Standard", 1],
      ["ISI Marked", 1.3],
    ],
  },
  {
    name: "Garden & Outdoor",
    description: "Garden hoses, sprinklers and tools",
    hsnCode: "8201",
    gstRate: 12,
    brands: ["Falcon", "Kisan Kraft", "Trueman", "Garden Gold"],
    items: [
      ["Garden Hose 15m", "pcs", 720],
      ["Sprinkler", "pcs", 380],
      ["Pruning Shear", "pcs", 430],
      ["Garden Rake", "pcs", 350],
    ],
    variants: [
      ["Basic", 1],
      ["Pro", 1.5],
    ],
  },
  {
    name: "Cleaning Supplies",
    description: "Floor cleaners, acids, mops and brooms",
    hsnCode: "3402",
    gstRate: 5,
    brands: ["Lizol", "Harpic", "Scotch-Brite", "Gala"],
    items: [
      ["Floor Cleaner 1L", "litre", 190],
      ["Toilet Cleaner 1L", "litre", 170],
      ["Spin Mop", "pcs", 1100],
      ["Grass Broom", "pcs", 140],
    ],
    variants: [
      ["Single", 1],
      ["Pack of 3", 2.7],
    ],
  },
];

export const BUSINESS = {
  name: "Pune Hardware & Electricals",
  gstin: "27AAPFP4821K1Z5",
  city: "Pune",
  state: "Maharashtra",
  address: "112 Laxmi Road, Pune 411030",
};

export const FIRST_NAMES = [
  "Aarav",
  "Aditi",
  "Akash",
  "Ananya",
  "Anil",
  "Arjun",
  "Deepa",
  "Farhan",
  "Gaurav",
  "Isha",
  "Kavita",
  "Kiran",
  "Mahesh",
  "Meera",
  "Neha",
  "Nikhil",
  "Pooja",
  "Prakash",
  "Priya",
  "Rajesh",
  "Rohan",
  "Sachin",
  "Sanjay",
  "Shweta",
  "Sunil",
  "Swati",
  "Tanvi",
  "Vikram",
  "Vinod",
  "Yash",
] as const;

export const SURNAMES = [
  "Joshi",
  "Patil",
  "Kulkarni",
  "Deshmukh",
  "Shinde",
  "Pawar",
  "Jadhav",
  "Gaikwad",
  "Mehta",
  "Shah",
  "Iyer",
  "Nair",
  "Reddy",
  "Khan",
  "Sharma",
  "Gupta",
  "Bhosale",
  "More",
  "Chavan",
  "Apte",
] as const;

export const BUSINESS_NAME_PARTS = [
  "Shree Sai",
  "Om",
  "Ganesh",
  "Laxmi",
  "Siddhivinayak",
  "Royal",
  "Metro",
  "Sahyadri",
  "Deccan",
  "Pioneer",
  "Prime",
  "Sunrise",
  "Kohinoor",
  "Vishwakarma",
  "Skyline",
  "Green Valley",
  "Amrut",
  "Tulip",
  "Mahalaxmi",
  "Indrayani",
] as const;

export const BUSINESS_NAME_KINDS = [
  "Constructions",
  "Builders",
  "Interiors",
  "Electricals",
  "Plumbing Works",
  "Developers",
  "Infra Projects",
  "Facility Services",
  "Contractors",
  "Enterprises",
] as const;

export const SUPPLIER_NAME_KINDS = [
  "Distributors",
  "Trading Co.",
  "Agencies",
  "Wholesale",
  "Industries",
  "Sales Corporation",
] as const;

/** [city, state], the store's own state first: most customers are local. */
export const CITIES = [
  ["Pune", "Maharashtra"],
  ["Pimpri-Chinchwad", "Maharashtra"],
  ["Mumbai", "Maharashtra"],
  ["Nashik", "Maharashtra"],
  ["Satara", "Maharashtra"],
  ["Kolhapur", "Maharashtra"],
  ["Ahmedabad", "Gujarat"],
  ["Bengaluru", "Karnataka"],
  ["Panaji", "Goa"],
  ["Hyderabad", "Telangana"],
  ["Indore", "Madhya Pradesh"],
  ["Delhi", "Delhi"],
] as const;

export const STATE_CODES: Record<string, string> = {
  Maharashtra: "27",
  Gujarat: "24",
  Karnataka: "29",
  Goa: "30",
  Telangana: "36",
  "Madhya Pradesh": "23",
  Delhi: "07",
};

export const RETURN_REASONS = [
  "Defective",
  "Wrong item supplied",
  "Damaged in transit",
  "Customer changed mind",
  "Excess quantity ordered",
] as const;

export const ADJUSTMENT_NOTES = ["Damaged in storage", "Stock count variance", "Expired / unusable"] as const;

/** Invoices per day by month of the year (Diwali in Oct/Nov, fiscal year end in March, monsoon lull). */
export const MONTH_SEASONALITY = [0.9, 0.95, 1.2, 1.05, 1.0, 0.85, 0.72, 0.78, 0.95, 1.35, 1.3, 1.0];

/** Invoices per day by day of the week, Sunday first (a short Sunday opening). */
export const WEEKDAY_SEASONALITY = [0.35, 1.0, 1.0, 1.0, 1.05, 1.1, 1.25];
