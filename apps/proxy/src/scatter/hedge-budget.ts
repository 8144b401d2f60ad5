/**
 * The cap on hedged node requests: every node request a read sends earns `ratio` of a
 * hedge, and a hedge spends one; at most `burst` hedges are saved up, and a new process
 * starts with them saved. Over any stretch of time, hedges stay within `ratio` × requests
 * sent (plus the saved-up burst), however slow the nodes are.
 */
export interface HedgeBudget {
  /** Counts node requests sent (each earns `ratio` of a hedge). */
  earn(requests: number): void;
  /** Spends `hedges` if the budget holds them; false (and nothing spent) otherwise. */
  spend(hedges: number): boolean;
}

export function createHedgeBudget(ratio: number, burst = 10): HedgeBudget {
  let balance = burst;
  return {
    earn(requests) {
      balance = Math.min(burst, balance + requests * ratio);
    },
    spend(hedges) {
      if (hedges > balance) return false;
      balance -= hedges;
      return true;
    },
  };
}
