import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import { Link, NavLink } from "~/components/link";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useNonce } from "~/components/nonce";
import { navigationFor, type NavItem } from "~/navigation";
import { roleLabels } from "~/vocabulary";
import { assistingName } from "~/learner.server";
import { can, getUser } from "~/permissions.server";
import { ensureStarted } from "~/startup.server";
import { publicScript } from "~/static-assets.server";
import stylesHref from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/icons/hocso-192.png" },
];

export const meta: MetaFunction = () => [
  { title: "HọcSố – Học kỹ năng số cùng Tổ Công nghệ số cộng đồng phường An Hải" },
  {
    name: "description",
    content: "Học dùng VNeID, Danang Smart City, dịch vụ công trực tuyến và giữ an toàn trên mạng.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await ensureStarted();
  const user = await getUser(request);
  return {
    user: user ? { displayName: user.displayName, role: user.role } : null,
    assisting: await assistingName(request, user),
    // Field workers' pages keep working offline: the outbox script shows the status line and
    // keeps the household page's forms on the phone when there is no network.
    offlineScript: user && can(user.role, "fieldWork") ? publicScript("offline.js") : null,
  };
}

/**
 * What a route's `handle` may say about the scripts of its page:
 * - `hydrate: false`: no React in the browser (no <Scripts>, 0 KB of bundle). Every form here
 *   posts without JavaScript, so the page works the same; a page that wants a little script
 *   loads a small file of its own from public/ instead (`publicScript`).
 * - `offlineStatus: false`: not even a field worker's outbox script (public/offline.js): a
 *   lesson on a cheap phone stays script-free.
 */
interface PageHandle {
  hydrate?: boolean;
  offlineStatus?: boolean;
}

/** false when any matched route says false. */
function usePageAllows(flag: keyof PageHandle): boolean {
  return !useMatches().some((m) => (m.handle as PageHandle | undefined)?.[flag] === false);
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  const hydrate = usePageAllows("hydrate");
  const offlineScript = usePageAllows("offlineStatus") ? (data?.offlineScript ?? null) : null;
  const nonce = useNonce();
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b5cab" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#noi-dung">
          Bỏ qua, đến nội dung chính
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            {/* Named by what it shows (WCAG 2.5.3: a voice-control user says what they read),
                plus "trang chủ". */}
            <Link to="/" className="brand">
              <span aria-hidden="true" className="brand__mark">
                H
              </span>
              <span className="brand__name">HọcSố</span> <span className="brand__place">An Hải</span>
              <span className="visually-hidden"> – trang chủ</span>
            </Link>
            <SiteNav items={navigationFor(user?.role ?? null)} signedIn={user !== null} />
          </div>
          {user ? (
            <p className="site-header__who">
              {user.displayName} · {roleLabels[user.role]}
            </p>
          ) : null}
          {data?.assisting ? (
            <div className="assist-banner" role="status">
              <p>
                Đang học cùng <strong>{data.assisting}</strong>: bài học và bài kiểm tra được ghi cho người
                này.
              </p>
              {/* Plain forms: no page is hydrated, so Remix's <Form> would only add work. */}
              <form method="post" action="/assist" className="inline-form">
                <input type="hidden" name="intent" value="stop" />
                <button type="submit" className="button button--small">
                  Kết thúc
                </button>
              </form>
            </div>
          ) : null}
        </header>
        <main id="noi-dung" className="site-main" tabIndex={-1}>
          {offlineScript ? (
            // Filled by public/offline.js (app/offline/page.ts) once it has read the phone's outbox; its
            // room is kept from the first paint (app.css), so the page does not jump down when it fills.
            // Kept out of React's reach: on a hydrated page React would take its content for a mismatch.
            <div
              id="offline-status"
              className="offline-status"
              // biome-ignore lint/security/noDangerouslySetInnerHtml: empty; offline.js fills it
              dangerouslySetInnerHTML={{ __html: "" }}
              suppressHydrationWarning
            />
          ) : null}
          {children}
        </main>
        <footer className="site-footer">
          <p>
            HọcSố – nền tảng học kỹ năng số của Tổ Công nghệ số cộng đồng phường An Hải, thành phố Đà Nẵng.
          </p>
          <p>
            Cần giúp? Gọi tổng đài <strong>0236 1022</strong> hoặc hỏi thành viên Tổ Công nghệ số cộng đồng ở
            tổ dân phố của bạn.
          </p>
        </footer>
        {/* Both serve React's navigation in the browser; a page it does not hydrate has neither. */}
        {hydrate ? <ScrollRestoration nonce={nonce} /> : null}
        {hydrate ? <Scripts nonce={nonce} /> : null}
        {offlineScript ? <script src={offlineScript} defer /> : null}
      </body>
    </html>
  );
}

/** About how many letters of link text fit in one row of a 360 px phone's header. */
const PHONE_ROW_LETTERS = 26;

/**
 * The header's links. On a phone the first links that fit one row stay in view and the rest open
 * from "Thêm" (a details element: no JavaScript needed); on a wider screen all are in the row.
 * "Đăng nhập" always stays in view.
 */
function SiteNav({ items, signedIn }: { items: NavItem[]; signedIn: boolean }) {
  const account = signedIn ? (
    <form method="post" action="/logout" className="inline-form">
      <button type="submit" className="link-button">
        Đăng xuất
      </button>
    </form>
  ) : (
    <NavLink to="/login">Đăng nhập</NavLink>
  );
  const accountLetters = signedIn ? "Đăng xuất".length : "Đăng nhập".length;
  const overflow = items.reduce((n, i) => n + i.label.length, accountLetters) > PHONE_ROW_LETTERS;
  let inRow = items.length;
  if (overflow) {
    let used = signedIn ? 0 : accountLetters;
    inRow = 0;
    while (inRow < items.length && used + items[inRow]!.label.length <= PHONE_ROW_LETTERS)
      used += items[inRow++]!.label.length;
    inRow = Math.max(1, inRow);
  }
  const accountInMenu = overflow && signedIn;
  const links = (list: NavItem[], className?: string) =>
    list.map((item) => (
      <li key={item.to} className={className}>
        <NavLink to={item.to} prefetch="none">
          {item.label}
        </NavLink>
      </li>
    ));
  return (
    <nav aria-label="Điều hướng chính" className={`site-nav${overflow ? " site-nav--overflow" : ""}`}>
      <ul className="site-nav__row">
        {links(items.slice(0, inRow))}
        {links(items.slice(inRow), "site-nav__wide")}
        <li className={accountInMenu ? "site-nav__wide" : undefined}>{account}</li>
      </ul>
      {overflow ? (
        <details className="site-nav__more">
          <summary>Thêm</summary>
          <ul>
            {links(items.slice(inRow))}
            {accountInMenu ? <li>{account}</li> : null}
          </ul>
        </details>
      ) : null}
    </nav>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
