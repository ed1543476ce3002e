/**
 * Execution and perm ids that stay unique across gateway restarts, as IB's are: a restarted
 * `gateway:sim` process must never hand out an id a client already journalled (a reused
 * execution id looks like a repeat and the fill would be dropped). Each gateway instance takes
 * a base from its seed (default: its start time), so two instances' ids do not meet.
 * IB's execution ids look like `0000e0d5.65a1b2c3.01.01`: the first part names the execution
 * server and session, the last parts count executions of one order.
 */
/** Where the counters stand, so a gateway resumed from its state file goes on from there. */
export interface IdState {
  readonly prefix: string;
  readonly nextPerm: number;
  readonly nextExec: number;
}

export class IdSource {
  private readonly prefix: string;
  private nextPerm: number;
  private nextExec = 1;

  /** `seed`: any number that differs between instances (a start time in ms is); or the state of one to resume. */
  constructor(seed: number | IdState) {
    if (typeof seed !== 'number') {
      this.prefix = seed.prefix;
      this.nextPerm = seed.nextPerm;
      this.nextExec = seed.nextExec;
      return;
    }
    const s = Math.abs(Math.floor(seed));
    this.prefix = `0000${(s % 0xffff).toString(16).padStart(4, '0')}.${(Math.floor(s / 1000) % 0xffffffff).toString(16).padStart(8, '0')}`;
    // permIds stay below 2^31 (a signed int until server version 191); one base per second of start time.
    this.nextPerm = 1_000_000_000 + (Math.floor(s / 1000) % 1_000_000) * 1000;
  }

  state(): IdState {
    return { prefix: this.prefix, nextPerm: this.nextPerm, nextExec: this.nextExec };
  }

  permId(): number {
    return this.nextPerm++;
  }

  /** `part` numbers the executions of one order (01, 02…). */
  execId(part = 1): string {
    return `${this.prefix}.${(this.nextExec++).toString(16).padStart(4, '0')}.${String(part).padStart(2, '0')}`;
  }
}
