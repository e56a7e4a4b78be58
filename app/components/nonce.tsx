/**
 * This request's Content-Security-Policy nonce (made by app/server/security.mjs), for every inline
 * script the page writes: Remix's <Scripts> and <ScrollRestoration>, the lesson's read-aloud
 * button. In the browser it is "" (browsers hide a nonce once the page is parsed).
 */
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
