/**
 * A schematic phone screen for practice ("Thực hành"), drawn in HTML and CSS (our own drawing,
 * no copied logos): a title bar, a few lines of text, and the tappable elements, each a submit
 * button of one form, so a tap works without JavaScript (public/practice.js makes it instant).
 */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { PracticeScreen } from "~/courses/practice-schema.server";
import type { PublicChoice } from "~/practice.server";

const barLabel: Record<PracticeScreen["kind"], string> = {
  app: "Ứng dụng",
  call: "Cuộc gọi đến",
  sms: "Tin nhắn từ",
  web: "Trang web",
};

/** A square with a few letters in place of an app's icon; the colour follows the letters. */
function Icon({ text }: { text: string }) {
  const hue = [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return (
    <span className="sim-icon" style={{ background: `hsl(${hue} 55% 32%)` }} aria-hidden="true">
      {text}
    </span>
  );
}

function ScreenText({ screen }: { screen: PracticeScreen }): ReactNode {
  if (screen.lines.length === 0) return null;
  if (screen.kind === "call") {
    return (
      <ul className="sim-lines sim-lines--call">
        {screen.lines.map((line, i) => (
          <li key={i}>
            <span className="visually-hidden">Người gọi nói: </span>“{line}”
          </li>
        ))}
      </ul>
    );
  }
  if (screen.kind === "sms") {
    return (
      <ul className="sim-lines sim-lines--sms">
        {screen.lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    );
  }
  return (
    <div className="sim-lines">
      {screen.lines.map((line, i) => (
        <p key={i}>{line}</p>
      ))}
    </div>
  );
}

export function PracticePhone({
  screen,
  choices,
  hidden,
}: {
  screen: PracticeScreen;
  choices: PublicChoice[];
  /** The state carried by every tap: step, wrong taps so far, the run's key. */
  hidden: Record<string, string>;
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a drawn phone screen, not a set of form fields (fieldset)
    <div
      className={`sim-phone sim-phone--${screen.kind}`}
      role="group"
      aria-label={`Màn hình tập: ${screen.title}`}
    >
      <div className="sim-phone__status" aria-hidden="true">
        <span>9:41</span>
        <span>▂▄▆ 🔋</span>
      </div>
      <div className="sim-phone__bar">
        <span className="sim-phone__bar-kind">{barLabel[screen.kind]}</span>
        <span className="sim-phone__bar-title">
          {screen.kind === "web" ? `🔒 ${screen.title}` : screen.title}
        </span>
      </div>
      <div className="sim-phone__body">
        {screen.heading ? <p className="sim-phone__heading">{screen.heading}</p> : null}
        <ScreenText screen={screen} />
        <Form method="post" className="sim-choices" preventScrollReset={false}>
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {choices.map((c) => (
            <button
              key={c.id}
              type="submit"
              name="chon"
              value={c.id}
              className={`sim-choice sim-choice--${c.kind}`}
            >
              {c.icon ? <Icon text={c.icon} /> : null}
              <span className="sim-choice__text">
                <span className="sim-choice__label">{c.label}</span>
                {c.detail ? <span className="sim-choice__detail">{c.detail}</span> : null}
              </span>
            </button>
          ))}
        </Form>
      </div>
    </div>
  );
}
