/**
 * The site's links (app/components/link.tsx) write what Remix's <Link> and <NavLink> wrote on a page
 * React does not hydrate: the same address, the header link of the section you are in marked
 * aria-current="page", and an address that is not absolute resolved against the page.
 */
import { createElement, type ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { Link, NavLink } from "~/components/link";

const at = (pathname: string, element: ReactElement) =>
  renderToString(createElement(StaticRouter, { location: pathname }, element));

describe("links", () => {
  it("write the address as given, with the anchor's own attributes", () => {
    expect(
      at("/", createElement(Link, { to: "/courses/nen-tang-so#bai-1", className: "button" }, "Học")),
    ).toBe('<a class="button" href="/courses/nen-tang-so#bai-1">Học</a>');
  });

  it("percent-encode a Vietnamese address as the browser would ask for it", () => {
    expect(at("/", createElement(Link, { to: "/tìm kiếm?q=an hải" }, "x"))).toBe(
      '<a href="/t%C3%ACm%20ki%E1%BA%BFm?q=an%20h%E1%BA%A3i">x</a>',
    );
  });

  it("resolve an address relative to the page", () => {
    expect(at("/office/roster", createElement(Link, { to: "?page=2" }, "Trang sau"))).toContain(
      'href="/office/roster?page=2"',
    );
  });

  it("mark the header link of the section the page is in, and only that one", () => {
    const nav = (pathname: string) =>
      at(
        pathname,
        createElement(
          "nav",
          null,
          createElement(NavLink, { to: "/" }, "Trang chủ"),
          createElement(NavLink, { to: "/courses" }, "Khoá học"),
          createElement(NavLink, { to: "/me" }, "Của tôi"),
        ),
      );
    expect(nav("/courses/nen-tang-so")).toBe(
      '<nav><a href="/">Trang chủ</a><a aria-current="page" class="active" href="/courses">Khoá học</a>' +
        '<a href="/me">Của tôi</a></nav>',
    );
    expect(nav("/")).toContain('<a aria-current="page" class="active" href="/">Trang chủ</a>');
    // A longer word is another section: /members is not under /me.
    expect(nav("/members")).not.toContain("aria-current");
  });
});
