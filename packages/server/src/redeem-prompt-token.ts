import type { Redemption } from './browser-actions.js';
import type { Context } from './context.js';
import { mintPromptToken } from './prompt-actions.js';

/**
 * Adds a linked-browser prompt token to a claimed redemption when prompts are on. The login is
 * already claimed, so a store failure here must not fail it: the token is left out and reported.
 */
export async function withPromptToken(ctx: Context, redemption: Redemption): Promise<Redemption> {
  if (!ctx.options.promptDevices) return redemption;
  try {
    const { token, expiresAt } = await mintPromptToken(ctx, redemption);
    return { ...redemption, promptToken: token, promptTokenExpiresAt: expiresAt };
  } catch (error) {
    ctx.events.emit('internal-error', { action: 'mint a prompt token', error });
    return redemption;
  }
}
