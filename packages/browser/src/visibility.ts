/** Whether the page is on screen, and a way to hear when that changes. */
export interface VisibilitySource {
  hidden(): boolean;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * The Page Visibility API of the current document, read lazily (nothing touches `document` at
 * import time, so server-side rendering can import the package). Without a document (Node,
 * workers) the page counts as always visible.
 *
 * @example
 * const visibility = documentVisibility();
 * const off = visibility.subscribe(() => console.log(visibility.hidden()));
 */
export function documentVisibility(): VisibilitySource {
  const doc = (globalThis as { document?: Document }).document;
  return {
    hidden: () => doc?.hidden === true,
    subscribe(listener) {
      doc?.addEventListener('visibilitychange', listener);
      return () => doc?.removeEventListener('visibilitychange', listener);
    },
  };
}
