/**
 * A small model decoding greedily can fall into a loop (`TOTAL(TOTAL(TOTAL(…`, the same JOIN again
 * and again) and would write until its token limit. A stretch of 8 to 120 characters repeated four
 * times in a row at the end of the answer is never a useful query: the generation is stopped there.
 */
const LOOP_AT_END = /([\s\S]{8,120}?)\1{3,}$/;
/** Only the end of the answer is searched, so the check stays cheap on every token. */
const TAIL = 600;

export function repeatsItself(text: string): boolean {
  return LOOP_AT_END.test(text.slice(-TAIL));
}
