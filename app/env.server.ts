/**
 * The one place that reads process.env. A bad value stops the start with a message
 * naming the variable; optional services fall back to their embedded default.
 */
import path from "node:path";
import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "phải bắt đầu bằng postgres:// hoặc postgresql://")
      .optional(),
  ),
  /** Folder for the embedded database and local uploads. "memory://" keeps PGlite in memory (tests). */
  DATA_DIR: z.string().trim().min(1).default(".data"),
  /**
   * Set by `npm start` only: the folder where it is still preparing the embedded database beside the
   * build. The server, started as soon as the build is done, opens DATA_DIR once that folder is gone.
   */
  DATA_DIR_PREPARING: optionalText,
  /** Seed the demo ward on the first start of an empty embedded database. */
  SEED_DEMO: z.enum(["auto", "off"]).default("auto"),
  /** The public address of the site, used in mail links and QR codes. */
  PUBLIC_URL: optionalText.pipe(z.string().url().optional()),
  /**
   * Without PUBLIC_URL: the address this server was started at (`npm start` and the browser tests'
   * server set it). Mail links never take their host from a request's Host header, which anyone can forge.
   */
  LOCAL_URL: optionalText.pipe(z.string().url().optional()),
  RESEND_API_KEY: optionalText,
  RESEND_BASE_URL: optionalText.pipe(z.string().url().optional()),
  MAIL_FROM: z.string().trim().default("HọcSố An Hải <no-reply@hocso.example>"),
  UPLOADTHING_TOKEN: optionalText,
  /** Turns off Secure cookies for plain-http local runs of the production build (tests, demos). */
  INSECURE_COOKIES: z.enum(["0", "1"]).default("0"),
  /**
   * Shows the stored outbox at /dev/outbox even in a production build (the browser tests read mail there).
   */
  DEV_OUTBOX: z.enum(["0", "1"]).default("0"),
  /** Read by server.mjs: behind a load balancer, take the client address from X-Forwarded-For. */
  TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  /** The ward dashboard's summary is recomputed in the background once it is older than this. */
  TARGETS_MAX_AGE_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(10),
  /**
   * The weekly and quarterly history is recomputed in the background once it is older than this
   * (it costs a few times the summary; its past weeks rarely change).
   */
  TARGETS_HISTORY_MAX_AGE_MINUTES: z.coerce
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
});

export type Env = z.infer<typeof envSchema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment settings:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env: Env = parseEnv(process.env);

/**
 * Tests only: reads process.env again into `env`. The integration test files share their worker's modules
 * (vitest.config.ts), so each file's setup points the one `env` at that file's own database.
 */
export function rereadEnvForTests(): void {
  for (const key of Object.keys(env)) delete (env as Partial<Env>)[key as keyof Env];
  Object.assign(env, parseEnv(process.env));
}

export function dataDir(): string {
  return env.DATA_DIR.startsWith("memory://") ? env.DATA_DIR : path.resolve(env.DATA_DIR);
}
