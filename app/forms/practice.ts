/**
 * What a practice run carries: its state in the address after each tap, and the tap itself in
 * the form. Used by the practice route's loader and action only, so zod stays on the server
 * (a route module's own top-level `z.object(…)` would put zod in the page's chunk).
 */
import { z } from "zod";

/** A run's key: 18 random bytes, base64url (`newPracticeKey` in app/practice.server.ts). */
export const PRACTICE_KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** The state of a run in the address; anything odd falls back to a fresh start. */
export const practiceRunSchema = z.object({
  buoc: z.coerce.number().int().min(1).max(50).catch(1),
  sai: z.coerce.number().int().min(0).max(999).catch(0),
  ma: z.string().regex(PRACTICE_KEY_PATTERN).optional().catch(undefined),
});

/** One tap: the run's state and the choice tapped. */
export const practiceTapSchema = z.object({
  buoc: z.coerce.number().int().min(1).max(50),
  sai: z.coerce.number().int().min(0).max(999),
  ma: z.string().regex(PRACTICE_KEY_PATTERN),
  chon: z.string().min(1).max(32),
});
