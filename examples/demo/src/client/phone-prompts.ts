/**
 * The phone simulator's "push notifications": it long-polls the demo's `GET /demo/prompts` and
 * hands each prompt's `qrPayload` to the same `scan` a camera would. A real app gets the payload
 * from its push service and calls `app.scan(qrPayload)` the same way.
 */

/**
 * Receives prompts for the signed-in app user until the page closes.
 *
 * @example
 * watchPrompts((qrPayload) => void scan(qrPayload));
 */
export function watchPrompts(onPrompt: (qrPayload: string) => void): void {
  const poll = async (): Promise<void> => {
    let delayMs = 0;
    try {
      const response = await fetch('/demo/prompts', { credentials: 'same-origin', cache: 'no-store' });
      if (response.status === 200) onPrompt(((await response.json()) as { qrPayload: string }).qrPayload);
      else if (response.status !== 204) delayMs = 5_000;
    } catch {
      delayMs = 5_000;
    }
    setTimeout(() => void poll(), delayMs);
  };
  void poll();
}
