/** Days are whole numbers counted from 1970-01-01 (UTC), so date arithmetic is plain addition. */
const MS_PER_DAY = 86_400_000;

export function toDay(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / MS_PER_DAY);
}

export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:MM:SS' at the given minute of the day. */
export function timestamp(day: number, minuteOfDay: number): string {
  return new Date(day * MS_PER_DAY + minuteOfDay * 60_000).toISOString().slice(0, 19).replace("T", " ");
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCDay();
}

/** 0 = January ... 11 = December. */
export function monthIndex(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCMonth();
}

export function isLastDayOfMonth(day: number): boolean {
  return monthIndex(day + 1) !== monthIndex(day);
}
