/**
 * A compile-time proof that a zod schema describes a domain type exactly, so the two cannot drift:
 *
 *   const _answer: Exact<z.output<typeof AnswerSchema>, Answer> = true;
 *
 * `Exact<A, B>` is `true` when A and B are the same type field for field, and `false` otherwise:
 * a field missing on either side, optional on one side only, or `string` where the other says
 * `"a" | "b"` makes the assignment above fail `tsc` (`Type 'true' is not assignable to type 'false'`).
 * Both sides are flattened first, so `Domain & { extra: T }` equals the object with that field.
 */
export type Exact<A, B> =
  (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;

/** Intersections merged into one object type, recursively (arrays and tuples stay what they are). */
type Flat<T> = T extends object ? { [K in keyof T]: Flat<T[K]> } : T;
