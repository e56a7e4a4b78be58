/**
 * Pictures for lessons, drawn rather than photographed: <PhoneScreen> is a schematic phone screen
 * (the app's name in a title bar, the few buttons and fields that matter, the one to press
 * outlined and numbered like its step) and <SceneDrawing> a scene in real life (a call, a message,
 * a visit at the door, the ward office). Plain HTML and inline SVG in our own simple shapes, no
 * logos or screenshots: sharp at any zoom, a few hundred bytes each, part of the server-rendered
 * lesson (no JavaScript, no extra request).
 *
 * The `alt` text is the picture's meaning: it is the visible caption, what a screen reader reads
 * (the drawing itself is aria-hidden) and what "Đọc to bài này" reads (it skips the drawing's
 * labels, marked data-read-aloud="skip").
 */
import { parsePhoneItem } from "~/courses/phone-items";

export function PhoneScreen({
  app,
  screen,
  items,
  step,
  alt,
}: {
  app: string;
  screen?: string;
  items: string;
  step?: string;
  alt: string;
}) {
  const parsed = items
    .split("|")
    .map(parsePhoneItem)
    .filter((i) => i.text !== "" || i.kind === "qr");
  return (
    <figure className="picture phone-screen">
      <div className="phone" aria-hidden="true" data-read-aloud="skip">
        <div className="phone__bar">{app}</div>
        {screen ? <div className="phone__title">{screen}</div> : null}
        <div className="phone__body">
          {parsed.map((item, i) => (
            <div
              key={i}
              className={
                `phone__item phone__item--${item.kind}` + (item.pressed ? " phone__item--pressed" : "")
              }
            >
              {item.kind === "check" ? <span className="phone__box" /> : null}
              {item.kind === "qr" ? <QrMark /> : null}
              {item.kind === "search" ? <span className="phone__lens">⌕ </span> : null}
              <span className="phone__label">{item.text}</span>
              {item.pressed && step ? <span className="phone__step">{step}</span> : null}
            </div>
          ))}
        </div>
      </div>
      <figcaption>{alt}</figcaption>
    </figure>
  );
}

function QrMark() {
  // A stand-in for a QR code: three corner squares, not a real code.
  return (
    <svg className="phone__qr" viewBox="0 0 21 21" width="72" height="72" aria-hidden="true">
      <path d="M0 0h7v7H0zM14 0h7v7h-7zM0 14h7v7H0z" fill="currentColor" />
      <path d="M2 2h3v3H2zM16 2h3v3h-3zM2 16h3v3H2z" fill="#fff" />
      <path
        d={
          "M9 1h2v2H9zM9 5h3v2H9zM1 9h2v2H1zM5 9h4v2H5zM10 9h2v3h-2zM14 9h2v2h-2zM18 10h2v2h-2z" +
          "M9 14h2v2H9zM13 13h3v2h-3zM17 15h3v2h-3zM10 18h4v2h-4zM16 18h2v2h-2z"
        }
        fill="currentColor"
      />
    </svg>
  );
}

/** The scenes a lesson may draw. */
export const SCENES = {
  call: "Một cuộc gọi",
  message: "Một tin nhắn",
  visit: "Đến nhà",
  office: "Tại trụ sở",
} as const;
export type Scene = keyof typeof SCENES;

/**
 * A scene: who is there (`who`, e.g. "Số lạ|Bà Lan"), what the other side says (`says`) and what
 * the reader answers (`reply`).
 */
export function SceneDrawing({
  scene,
  says,
  reply,
  who,
  alt,
}: {
  scene: string;
  says?: string;
  reply?: string;
  who?: string;
  alt: string;
}) {
  const kind: Scene = scene in SCENES ? (scene as Scene) : "call";
  const [other, me] = (who ?? "").split("|").map((s) => s.trim());
  return (
    <figure className={`picture scene scene--${kind}`}>
      <div className="scene__stage" aria-hidden="true" data-read-aloud="skip">
        <div className="scene__side">
          {kind === "call" || kind === "message" ? (
            <PhoneIcon ringing={kind === "call"} />
          ) : (
            <Person badge={kind === "visit"} desk={kind === "office"} />
          )}
          {other ? <span className="scene__who">{other}</span> : null}
        </div>
        <div className="scene__talk">
          {says ? (
            <p className={`scene__bubble${kind === "message" ? " scene__bubble--sms" : ""}`}>{says}</p>
          ) : null}
          {reply ? <p className="scene__bubble scene__bubble--me">{reply}</p> : null}
        </div>
        <div className="scene__side">
          <Person />
          {me ? <span className="scene__who">{me}</span> : null}
        </div>
      </div>
      <figcaption>{alt}</figcaption>
    </figure>
  );
}

function Person({ badge = false, desk = false }: { badge?: boolean; desk?: boolean }) {
  return (
    <svg viewBox="0 0 40 48" width="56" height="67" className="scene__person" aria-hidden="true">
      <circle cx="20" cy="11" r="8" fill="#f0c9a4" stroke="#1a1a1a" strokeWidth="1.5" />
      <path
        d="M5 46c0-13 6-21 15-21s15 8 15 21z"
        fill={desk ? "#2f5d3a" : "#0b5cab"}
        stroke="#1a1a1a"
        strokeWidth="1.5"
      />
      {badge ? (
        <rect x="22" y="30" width="8" height="10" rx="1" fill="#fff" stroke="#1a1a1a" strokeWidth="1" />
      ) : null}
      {desk ? <rect x="0" y="40" width="40" height="8" fill="#8a6a45" /> : null}
    </svg>
  );
}

function PhoneIcon({ ringing }: { ringing: boolean }) {
  return (
    <svg viewBox="0 0 40 48" width="56" height="67" className="scene__phone" aria-hidden="true">
      <rect x="10" y="4" width="20" height="40" rx="3" fill="#fff" stroke="#1a1a1a" strokeWidth="2" />
      <rect x="13" y="9" width="14" height="26" fill="#e3ecf7" />
      {ringing ? (
        <path d="M4 14q-3 6 0 12M36 14q3 6 0 12" fill="none" stroke="#a4161a" strokeWidth="2" />
      ) : null}
    </svg>
  );
}
