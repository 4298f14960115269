/**
 * The login flow of a scan screen as one hook: camera text in, confirm screen state out.
 */
import type { DecisionResponse } from '@qrlogin/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QrLoginApp } from '../create-qr-login-app.js';
import type { LoginRequest, LoginRequestData } from '../login-request.js';
import { platformGlobals } from '../platform.js';
import { describeError, type QrLoginFailure } from './describe-error.js';
import type { QrLoginLocale } from './error-text.js';

/**
 * Where the flow is: `scanning` (camera on), `loading` (the scan is being sent), `deciding` (show
 * the confirm screen), `sending` (confirm or reject on its way), `done` (see `result`), `failed`
 * (see `error`; offer `scanAgain`).
 */
export type QrLoginPhase = 'scanning' | 'loading' | 'deciding' | 'sending' | 'done' | 'failed';

/** Options of {@link useQrLogin}. */
export interface UseQrLoginOptions {
  /** Language of `error.text`. @default 'en' */
  locale?: QrLoginLocale;
  /** Device clock for the countdown, ms since the epoch. @default Date.now */
  now?: () => number;
}

/** What {@link useQrLogin} returns. */
export interface QrLoginFlow {
  phase: QrLoginPhase;
  /** The scanned request while deciding, sending and after; `null` while scanning. */
  request: LoginRequest | null;
  /** Whole seconds until the request expires, while there is one; at 0 the flow fails with `SESSION_EXPIRED`. */
  secondsLeft: number | null;
  /** The digits typed so far, for number matching (`request.codeRequired`). */
  code: string;
  /** The server's answer once `done`. */
  result: DecisionResponse | null;
  /** The last failure, with a sentence for the user; cleared by the next step. */
  error: QrLoginFailure | null;
  /**
   * Hand it every code the camera reads. Only the first is handled until `scanAgain()`: cameras
   * report the same code many times a second.
   */
  onScan(text: string): void;
  /** Opens a request passed as plain data (navigation params) instead of scanning. */
  open(data: LoginRequestData): Promise<void>;
  setCode(code: string): void;
  confirm(): Promise<void>;
  reject(): Promise<void>;
  /** Drops the current request (its key is wiped) and turns the camera back on. */
  scanAgain(): void;
}

/** Errors after which the same request can still be answered. */
const STAY_DECIDING = new Set(['NETWORK_ERROR', 'RATE_LIMITED', 'CODE_REQUIRED', 'NOT_CONFIRMED']);

/**
 * Owns a scan screen's state. `app` may be `null` while the device is not set up (codes are then
 * ignored). Unmounting drops the open request.
 *
 * @example
 * const login = useQrLogin(device.app, { locale: 'ja' });
 * if (login.phase === 'scanning') return <CameraView onBarcodeScanned={({ data }) => login.onScan(data)} />;
 * if (login.phase === 'deciding') return <Confirm request={login.request} onConfirm={login.confirm} />;
 */
export function useQrLogin(app: QrLoginApp | null, options: UseQrLoginOptions = {}): QrLoginFlow {
  const locale = options.locale ?? 'en';
  const now = options.now ?? Date.now;
  const [phase, setPhase] = useState<QrLoginPhase>('scanning');
  const [request, setRequest] = useState<LoginRequest | null>(null);
  const [code, setCode] = useState('');
  const [result, setResult] = useState<DecisionResponse | null>(null);
  const [error, setError] = useState<QrLoginFailure | null>(null);
  const [clock, setClock] = useState(now);
  // A ref, not state: two camera callbacks in one frame both see the state of the last render.
  const busy = useRef(false);
  const current = useRef<LoginRequest | null>(null);

  const fail = useCallback(
    (reason: unknown, keepDeciding: boolean) => {
      const failure = describeError(reason, locale);
      setError(failure);
      if (keepDeciding && STAY_DECIDING.has(failure.code)) {
        setPhase('deciding');
        return;
      }
      current.current?.dispose();
      setPhase('failed');
    },
    [locale],
  );

  const show = useCallback(
    (next: LoginRequest) => {
      current.current = next;
      setRequest(next);
      setClock(now());
      setPhase('deciding');
    },
    [now],
  );

  const begin = useCallback(
    (load: () => Promise<LoginRequest>) => {
      if (busy.current) return Promise.resolve();
      busy.current = true;
      setPhase('loading');
      setError(null);
      return load().then(show, (reason: unknown) => fail(reason, false));
    },
    [show, fail],
  );

  const onScan = useCallback(
    (text: string) => {
      if (app) void begin(() => app.scan(text));
    },
    [app, begin],
  );
  const open = useCallback(
    (data: LoginRequestData) => (app ? begin(() => app.restore(data)) : Promise.resolve()),
    [app, begin],
  );

  const answer = useCallback(
    async (send: (request: LoginRequest) => Promise<DecisionResponse>) => {
      const open = current.current;
      if (!open) return;
      setPhase('sending');
      setError(null);
      try {
        setResult(await send(open));
        setPhase('done');
      } catch (reason) {
        fail(reason, true);
      }
    },
    [fail],
  );
  const confirm = useCallback(() => answer((open) => open.confirm({ code })), [answer, code]);
  const reject = useCallback(() => answer((open) => open.reject()), [answer]);

  const scanAgain = useCallback(() => {
    current.current?.dispose();
    current.current = null;
    busy.current = false;
    setRequest(null);
    setCode('');
    setResult(null);
    setError(null);
    setPhase('scanning');
  }, []);

  // The countdown: re-render every second while the user decides.
  useEffect(() => {
    if (phase !== 'deciding' && phase !== 'sending') return;
    const timers = platformGlobals();
    const handle = timers.setInterval?.(() => setClock(now()), 1000);
    return () => timers.clearInterval?.(handle);
  }, [phase, now]);

  const secondsLeft = request ? Math.max(0, Math.ceil((request.localExpiresAt - clock) / 1000)) : null;
  useEffect(() => {
    if (secondsLeft === 0 && phase === 'deciding') {
      current.current?.dispose();
      setError(describeError('SESSION_EXPIRED', locale));
      setPhase('failed');
    }
  }, [secondsLeft, phase, locale]);

  // Leaving the screen drops the request, so its key does not outlive it.
  useEffect(() => () => current.current?.dispose(), []);

  return { phase, request, secondsLeft, code, result, error, onScan, open, setCode, confirm, reject, scanAgain };
}
