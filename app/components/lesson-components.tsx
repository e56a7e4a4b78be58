/**
 * The components a lesson's MDX may use (Steps, Callout, Term, Figure, AppLabel, and the drawn
 * pictures PhoneScreen and SceneDrawing of phone-screen.tsx), one shared map of them,
 * the compiled-lesson renderer (getMDXComponent memoised by code) and the read-aloud button.
 * Everything renders to plain HTML: lesson pages ship no JavaScript.
 */
import { getMDXComponent, type MDXContentProps } from "mdx-bundler/client/index.js";
import type { ComponentType, ReactNode } from "react";
import { PhoneScreen, SceneDrawing } from "~/components/phone-screen";
import { useNonce } from "~/components/nonce";

export function Steps({ children }: { children?: ReactNode }) {
  return <div className="steps">{children}</div>;
}

const calloutTitles = { tip: "Mẹo nhỏ", warning: "Lưu ý", scam: "Cảnh báo lừa đảo" } as const;
type CalloutType = keyof typeof calloutTitles;

export function Callout({ type = "tip", title, children }: { type?: CalloutType; title?: string; children?: ReactNode }) {
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
 * "Đọc to bài này": a plain button, hidden until a tiny inline script finds the browser's speech
 * synthesis, then reading the lesson aloud with a Vietnamese voice. Lesson pages are not
 * hydrated (no React in the browser), so this is a self-contained progressive enhancement
 * rather than a React component with state: without JavaScript, or on a device whose voices
 * include none for Vietnamese, the button simply never shows and the page is the same.
 */
export function ReadAloud({ targetId }: { targetId: string }) {
  return (
    <div className="read-aloud">
      <button type="button" className="button read-aloud__button" hidden data-target={targetId} data-start="Đọc to bài này" data-stop="Dừng đọc">
        Đọc to bài này
      </button>
      <script nonce={useNonce()} dangerouslySetInnerHTML={{ __html: READ_ALOUD_SCRIPT }} />
    </div>
  );
}

// ES5 on purpose: old phones' browsers. It runs where it stands, before the lesson below it is
// parsed, so the lesson is looked up on click. Chrome stops an utterance after ~15 s, so the
// text is spoken one block (heading, paragraph, list item) at a time.
export const READ_ALOUD_SCRIPT = `(function(){var s=document.currentScript,b=s&&s.previousElementSibling;if(!b||!window.speechSynthesis||typeof SpeechSynthesisUtterance!=="function")return;var syn=window.speechSynthesis,on=false;function vi(){var v=syn.getVoices();for(var i=0;i<v.length;i++)if(/^vi([-_]|$)/i.test(v[i].lang))return v[i];return null}function show(){var all=syn.getVoices();if(all.length===0||vi())b.hidden=false;else b.hidden=true}function stop(){syn.cancel();on=false;b.textContent=b.getAttribute("data-start")}show();if(syn.addEventListener)syn.addEventListener("voiceschanged",show);b.addEventListener("click",function(){if(on){stop();return}var t=document.getElementById(b.getAttribute("data-target"));if(!t)return;var sk=t.querySelectorAll("[data-read-aloud=skip]"),k;for(k=0;k<sk.length;k++)sk[k].style.display="none";var parts=(t.innerText||t.textContent||"").split(/\\n+/);for(k=0;k<sk.length;k++)sk[k].style.display="",v=vi(),n=0;syn.cancel();on=true;b.textContent=b.getAttribute("data-stop");for(var i=0;i<parts.length;i++){var p=parts[i].replace(/^\\s+|\\s+$/g,"");if(!p)continue;var u=new SpeechSynthesisUtterance(p);u.lang="vi-VN";if(v)u.voice=v;u.rate=0.9;n++;u.onend=(function(k){return function(){if(k===n&&on)stop()}})(n);syn.speak(u)}if(!n)stop()});window.addEventListener("pagehide",function(){syn.cancel()})})();`;

/** A label of HọcSố's own screens, quoted in a lesson about HọcSố (a test checks the app has it). */
export function AppLabel({ children }: { children?: ReactNode }) {
  return <strong className="app-label">{children}</strong>;
}

/** The one map every lesson renders with. */
export const lessonComponents = { Steps, Callout, Term, Figure, ReadAloud, PhoneScreen, SceneDrawing, AppLabel };

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
