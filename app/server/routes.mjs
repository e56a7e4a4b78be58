// Which Remix route answered a request, as a label with few values (for logs and metrics):
// the route id ("routes/courses.$course.$lesson._index"), never the address itself.
import { matchRoutes } from "@remix-run/router";

/** A function from a request path to its route id, built from the server build's route table. */
export function createRouteMatcher(build) {
  if (!build?.routes) return () => "unknown";
  const byParent = new Map();
  for (const route of Object.values(build.routes)) {
    const list = byParent.get(route.parentId) ?? [];
    list.push(route);
    byParent.set(route.parentId, list);
  }
  const tree = (parentId) =>
    (byParent.get(parentId) ?? []).map((route) => ({
      id: route.id,
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
      children: route.index ? undefined : tree(route.id),
    }));
  const routes = tree(undefined);
  const cache = new Map();
  return (pathname) => {
    // Single-fetch data requests (/x.data) answer for the page /x.
    const page = pathname.endsWith(".data")
      ? pathname.slice(0, -5).replace(/\/_root$/, "/") || "/"
      : pathname;
    if (cache.has(page)) return cache.get(page);
    const matches = matchRoutes(routes, page);
    const id = matches?.at(-1)?.route.id ?? "unmatched";
    if (cache.size < 5000) cache.set(page, id);
    return id;
  };
}
