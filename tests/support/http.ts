/**
 * Calling route loaders and actions the way Remix does, with real session cookies, and
 * reading what came back as a user would see it: a page, a redirect, or a refusal.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/session.server";
import type { Role } from "@db/schema";

export const ORIGIN = "http://localhost:3000";

/** A cookie header for a fresh session of `user`. */
export async function cookieFor(user: { id: number; role: Role }): Promise<string> {
  const token = generateSessionToken();
  await createSession(token, user, "Mozilla/5.0 (Linux; Android 13) Chrome/120 Mobile");
  return `${SESSION_COOKIE}=${token}`;
}

export function getRequest(path: string, cookie?: string): Request {
  return new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function postRequest(
  path: string,
  fields: Record<string, string>,
  options: { cookie?: string; origin?: string | null; address?: string } = {},
): Request {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.origin !== null) headers.Origin = options.origin ?? ORIGIN;
  headers["X-Real-IP"] = options.address ?? "198.51.100.7";
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(fields).toString(),
  });
}

export type Outcome =
  | { kind: "page"; data: unknown }
  | { kind: "redirect"; location: string; response: Response }
  | { kind: "status"; status: number; body: string };

/** Runs a loader or action and says what the person would get. */
export async function outcome(run: () => unknown): Promise<Outcome> {
  try {
    const result = await run();
    if (result instanceof Response) return fromResponse(result);
    return { kind: "page", data: result };
  } catch (thrown) {
    if (thrown instanceof Response) return fromResponse(thrown);
    throw thrown;
  }
}

async function fromResponse(response: Response): Promise<Outcome> {
  if (response.status >= 300 && response.status < 400) {
    return { kind: "redirect", location: response.headers.get("Location") ?? "", response };
  }
  if (response.status === 200) return { kind: "page", data: await response.text() };
  return { kind: "status", status: response.status, body: await response.text() };
}

export function loaderArgs(request: Request, params: Record<string, string> = {}): LoaderFunctionArgs {
  return { request, params, context: {} };
}

export function actionArgs(request: Request, params: Record<string, string> = {}): ActionFunctionArgs {
  return { request, params, context: {} };
}

/** The cookie a response sets, as the browser would send it back. */
export function cookieFromResponse(response: Response): string | null {
  const header = response.headers.get("Set-Cookie");
  if (!header) return null;
  const pair = header.split(";")[0]!;
  return pair.endsWith("=") ? null : pair;
}
