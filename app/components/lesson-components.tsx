/**
 * The components a lesson's MDX may use (Steps, Callout, Term, Figure, AppLabel, and the drawn
 * pictures PhoneScreen and SceneDrawing of phone-screen.tsx), one shared map of them,
 * the compiled-lesson renderer (getMDXComponent memoised by code) and the read-aloud controls.
 * Everything renders to plain HTML: lesson pages ship no framework JavaScript.
 */
import { getMDXComponent, type MDXContentProps } from "mdx-bundler/client/index.js";
import type { ComponentType, ReactNode } from "react";
import { PhoneScreen, SceneDrawing } from "~/components/phone-screen";

export function Steps({ children }: { children?: ReactNode }) {
  return <div className="steps">{children}</div>;
}

const calloutTitles = { tip: "Mẹo nhỏ", warning: "Lưu ý", scam: "Cảnh báo lừa đảo" } as const;
type CalloutType = keyof typeof calloutTitles;

export function Callout({
  type = "tip",
  title,
  children,
}: {
  type?: CalloutType;
  title?: string;
  children?: ReactNode;
}) {
  const kind: CalloutType = type in calloutTitles ? type : "tip";
  return (
    <div className={`callout callout--${kind}`} role="note">
      <p className="callout__title">
        {kind === "scam" ? (
          <span aria-hidden="true" className="callout__icon">
            ⚠{" "}
          </span>
        ) : null}
        {title ?? calloutTitles[kind]}
      </p>
      {children}
    </div>
  );
}

/**
 * A glossary term: the word as a <dfn>, its meaning right after it in plain sight (no tooltip,
 * no JavaScript: a tooltip is lost on a phone and to a screen reader). A full stop ending the
 * meaning is dropped, so a sentence never reads ".).".
 */
export function Term({ word, meaning, children }: { word: string; meaning: string; children?: ReactNode }) {
  return (
    <span className="term">
      <dfn data-word={word}>{children ?? word}</dfn>
      <span className="term__meaning"> ({meaning.trim().replace(/[.。]+$/u, "")})</span>
    </span>
  );
}

/** A picture with its required text alternative (content:check refuses a Figure without alt). */
export function Figure({ src, alt, caption }: { src: string; alt: string; caption?: string }) {
  return (
    <figure className="lesson-figure">
      <img src={src} alt={alt} loading="lazy" decoding="async" />
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

/**
 * "Đọc to bài này": the controls, hidden until public/read-aloud.js (loaded with `src`, deferred:
 * lesson pages have no React in the browser and a Content-Security-Policy allows only the site's
 * own scripts) finds the browser's speech synthesis. It reads the lesson sentence by sentence in
 * Vietnamese, highlighting and scrolling to the sentence; pause and resume, slower, stop. On a
 * phone without a Vietnamese voice it shows how to add one. Without JavaScript nothing shows.
 */
export function ReadAloud({ targetId, src }: { targetId: string; src: string }) {
  return (
    <div className="read-aloud" data-read-aloud="" data-target={targetId} hidden>
      <div className="read-aloud__controls">
        <button type="button" className="button read-aloud__button" data-role="play" aria-controls={targetId}>
          Đọc to bài này
        </button>
        <button type="button" className="button button--small" data-role="slower" hidden>
          Đọc chậm hơn
        </button>
        <button type="button" className="button button--small" data-role="stop" hidden>
          Dừng đọc
        </button>
      </div>
      <div
        className="callout callout--tip read-aloud__help"
        data-role="help"
        tabIndex={-1}
        role="status"
        hidden
      >
        <p className="callout__title">Điện thoại chưa có giọng đọc tiếng Việt</p>
        <p>
          Trên điện thoại Android: mở <strong>Cài đặt</strong>, tìm{" "}
          <strong>Chuyển văn bản thành giọng nói</strong> (Text-to-speech), chọn{" "}
          <strong>Dịch vụ chuyển văn bản sang lời nói của Google</strong> (Google text-to-speech), rồi tải
          giọng <strong>Tiếng Việt</strong>. Nếu chưa có, hãy cài “Dịch vụ chuyển văn bản sang lời nói của
          Google” từ CH Play.
        </p>
        <p>
          Trên iPhone: <strong>Cài đặt</strong> → <strong>Trợ năng</strong> →{" "}
          <strong>Nội dung được đọc</strong> → <strong>Giọng nói</strong> → <strong>Tiếng Việt</strong>. Xong,
          hãy tải lại trang này.
        </p>
      </div>
      <script src={src} defer />
    </div>
  );
}

/** A label of HọcSố's own screens, quoted in a lesson about HọcSố (a test checks the app has it). */
export function AppLabel({ children }: { children?: ReactNode }) {
  return <strong className="app-label">{children}</strong>;
}

/** The one map every lesson renders with. */
export const lessonComponents = { Steps, Callout, Term, Figure, PhoneScreen, SceneDrawing, AppLabel };

// getMDXComponent evaluates the compiled code; doing that once per lesson version, not per request.
const componentsByCode = new Map<string, ComponentType<MDXContentProps>>();

export function LessonBody({ code }: { code: string }) {
  let Component = componentsByCode.get(code);
  if (!Component) {
    if (componentsByCode.size > 200) componentsByCode.clear();
    Component = getMDXComponent(code);
    componentsByCode.set(code, Component);
  }
  return <Component components={lessonComponents as unknown as MDXContentProps["components"]} />;
}
