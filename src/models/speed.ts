const SAMPLE_EVERY_MS = 100;

interface Sample {
  at: number;
  bytes: number;
}

/** Download speed as a moving average over a sliding window, so the ETA does not jump around. */
export class SpeedMeter {
  private readonly samples: Sample[] = [];
  private latest: Sample | undefined;

  constructor(private readonly windowMs = 5000) {}

  add(totalBytes: number, at = Date.now()): void {
    this.latest = { at, bytes: totalBytes };
    const lastKept = this.samples[this.samples.length - 1];
    if (!lastKept || at - lastKept.at >= SAMPLE_EVERY_MS) this.samples.push(this.latest);
    while (this.samples.length > 2 && at - this.samples[0].at > this.windowMs) this.samples.shift();
  }

  bytesPerSecond(): number {
    const first = this.samples[0];
    if (!first || !this.latest) return 0;
    const seconds = (this.latest.at - first.at) / 1000;
    return seconds > 0 ? (this.latest.bytes - first.bytes) / seconds : 0;
  }
}
