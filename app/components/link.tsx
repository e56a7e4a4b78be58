import type { AnchorHTMLAttributes, ReactNode } from "react";
import { Link as RouterLink, NavLink as RouterNavLink, useLocation } from "@remix-run/react";

/**
 * Links for pages React never hydrates, which is every page here (`hydrate: false`, root.tsx).
 * Remix's <Link> resolves its address against the route tree, marks it for route discovery and
 * wires a click handler and prefetching, all for navigation in the browser that these pages never
 * do; it renders the same <a href>. These render it directly: on a signed-in lesson page (a dozen
 * links) Remix's took about 6% of the server's time per request. An address that is not absolute
 * ("?page=2", "..") still goes through Remix's, which resolves it against the route as before.
 */
type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & {
  to: string;
  /** Every link already loads a whole document: accepted for Remix's API, nothing to do. */
  reloadDocument?: boolean;
  /** No page prefetches: accepted for Remix's API, nothing to do. */
  prefetch?: "none" | "intent" | "render" | "viewport";
  children?: ReactNode;
};

/** Characters an address keeps as they are in every part (no space, quote, bracket or backslash). */
const KEPT = /^[A-Za-z0-9\-._~!$&()*+,;=:@/?#%]*$/;

/** The href Remix would write for an absolute address: percent-encoded and dot segments resolved. */
function hrefOf(to: string): string {
  if (!to.includes("/.") && KEPT.test(to)) return to;
  const url = new URL(to, "http://localhost");
  return `${url.pathname}${url.search}${url.hash}`;
}

export function Link({ to, reloadDocument, prefetch, children, ...anchor }: LinkProps) {
  if (!to.startsWith("/") || to.startsWith("//"))
    return (
      <RouterLink to={to} reloadDocument={reloadDocument} prefetch={prefetch} {...anchor}>
        {children}
      </RouterLink>
    );
  return (
    <a {...anchor} href={hrefOf(to)}>
      {children}
    </a>
  );
}

/**
 * A header link that says which section the page is in: aria-current="page" and class "active"
 * when the address is `to` or below it (Remix's <NavLink> rule, case-insensitive, no `end`).
 */
export function NavLink({ to, className, ...props }: LinkProps) {
  const { pathname } = useLocation();
  if (!to.startsWith("/") || to.startsWith("//"))
    return <RouterNavLink to={to} className={className} {...props} />;
  const here = pathname.toLowerCase();
  const target = to.toLowerCase();
  const slashAt = target !== "/" && target.endsWith("/") ? target.length - 1 : target.length;
  const active = here === target || (here.startsWith(target) && here.charAt(slashAt) === "/");
  const classes = [className, active ? "active" : undefined].filter(Boolean).join(" ");
  return (
    <Link aria-current={active ? "page" : undefined} className={classes || undefined} to={to} {...props} />
  );
}
