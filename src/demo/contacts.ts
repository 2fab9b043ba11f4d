/** Made-up contact details for the demo's people and businesses: names, phones, GSTINs. */
import { FIRST_NAMES, STATE_CODES, SURNAMES } from "./catalog.js";
import type { Random } from "./random.js";

export function personName(rng: Random): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`;
}

export function phone(rng: Random): string {
  return `+91 9${digits(rng, 4)} ${digits(rng, 5)}`;
}

export function gstin(rng: Random, state: string): string {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const pan =
    Array.from({ length: 5 }, () => rng.pick([...letters])).join("") +
    digits(rng, 4) +
    rng.pick([...letters]);
  return `${STATE_CODES[state]}${pan}1Z${rng.int(1, 9)}`;
}

export function digits(rng: Random, count: number): string {
  return Array.from({ length: count }, () => rng.int(0, 9)).join("");
}
