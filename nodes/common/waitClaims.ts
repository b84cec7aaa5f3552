/**
 * PURE (process state only). "This answer was already used": one claim per key in this n8n
 * process, bounded and expiring.
 *
 * A reply can reach n8n twice (360dialog redelivers; a customer taps twice; two list rows in a
 * row). n8n itself refuses a waiting webhook once the execution is running (409) or finished, but
 * two answers that arrive together can both find it still waiting. The Trigger and the Send node's
 * webhook() each claim the answer's key synchronously (no await between check and set), so within
 * one process only the first goes through. Across several webhook processes (queue mode) n8n's own
 * status check is what remains; see docs/DEVELOPMENT.md "Send and wait".
 */
const MAX_CLAIMS = 20_000;
export const CLAIM_TTL_MS = 7 * 24 * 3_600_000;

const claims = new Map<string, number>();

function prune(now: number): void {
	for (const [key, expiresAt] of claims) {
		if (expiresAt > now && claims.size <= MAX_CLAIMS) break;
		claims.delete(key);
	}
}

/** True the first time a key is claimed (until it expires); false afterwards. */
export function claimOnce(key: string, now: number = Date.now(), ttlMs: number = CLAIM_TTL_MS): boolean {
	const expiresAt = claims.get(key);
	if (expiresAt !== undefined && expiresAt > now) return false;
	claims.delete(key);
	claims.set(key, now + ttlMs);
	prune(now);
	return true;
}

/** Gives a claim back (the answer could not be delivered, so a later copy may try again). */
export function releaseClaim(key: string): void {
	claims.delete(key);
}

/** For tests. */
export function clearClaims(): void {
	claims.clear();
}
