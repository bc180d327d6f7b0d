/**
 * A one-line progress bar on stderr. Silent unless a person is watching (both stdout and stderr are
 * terminals) so pipes, CI logs and `--json` consumers never see control characters.
 */
export class Progress {
  private readonly out: { write(s: string): unknown } | null;
  private label = '';
  private lastDraw = 0;
  constructor(out: { write(s: string): unknown } | null) {
    this.out = out;
  }
  get enabled(): boolean {
    return this.out !== null;
  }
  /** Start a stage. */
  stage(label: string): void {
    this.label = label;
    if (this.out) this.out.write(`\r\x1b[2K${label} ...`);
  }
  /** Report `done` of `total` in the current stage (redraws at most every 100 ms). */
  tick(done: number, total: number): void {
    if (!this.out) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done < total) return;
    this.lastDraw = now;
    const width = 24;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const fill = Math.round(frac * width);
    this.out.write(`\r\x1b[2K${this.label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total}`);
  }
  /** Clear the line. */
  done(): void {
    if (this.out) this.out.write('\r\x1b[2K');
  }
}
