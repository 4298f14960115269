/** Sizes of every scenario; `--quick` shrinks them to fit about two minutes. */
export interface BenchConfig {
  quick: boolean;
  /** Scenario 1 and 2: waiting browsers, confirm rate, burst size (qrlogin and its floor alternate bursts). */
  latencyBrowsers: number;
  latencyRate: number;
  latencyBurst: number;
  redisBrowsers: number;
  /** Scenario 3: sockets to try to hold; `0` means "up to the open-file limit". */
  capacityTarget: number;
  /** Scenario 4. */
  loginSeconds: number;
  loginConcurrency: number;
  confirmCount: number;
  confirmConcurrency: number;
  /** Scenario 5. */
  pollBrowsers: number;
  pollWindowSeconds: number;
  pollConfirms: number;
  /** Scenario 6. */
  soakSessions: number;
}

export const FULL: BenchConfig = {
  quick: false,
  latencyBrowsers: 10_000,
  latencyRate: 1000,
  latencyBurst: 1000,
  redisBrowsers: 10_000,
  capacityTarget: 0,
  loginSeconds: 8,
  loginConcurrency: 256,
  confirmCount: 24_000,
  confirmConcurrency: 128,
  pollBrowsers: 10_000,
  // Longer than the socket heartbeat (30 s), so push pays for a full round of pings in the window.
  pollWindowSeconds: 32,
  pollConfirms: 640,
  soakSessions: 1_000_000,
};

export const QUICK: BenchConfig = {
  quick: true,
  latencyBrowsers: 2000,
  latencyRate: 1000,
  latencyBurst: 500,
  redisBrowsers: 2000,
  capacityTarget: 4000,
  loginSeconds: 3,
  loginConcurrency: 256,
  confirmCount: 8000,
  confirmConcurrency: 128,
  pollBrowsers: 2000,
  pollWindowSeconds: 6,
  pollConfirms: 120,
  soakSessions: 100_000,
};
