import { describe, expect, expectTypeOf, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import type { WebSocketConstructor } from '../src/index.js';

describe('WebSocketConstructor', () => {
  it('accepts the browser WebSocket and the ws package class without casts', () => {
    expectTypeOf<typeof globalThis.WebSocket>().toExtend<WebSocketConstructor>();
    expectTypeOf<typeof NodeWebSocket>().toExtend<WebSocketConstructor>();
    const injected: WebSocketConstructor = NodeWebSocket;
    expect(injected).toBe(NodeWebSocket);
  });
});
