/**
 * The "Thực hành" block of a lesson page: links to the lesson's practice tasks, each with its done state.
 * Plain links, no JavaScript.
 */
import type { LessonPracticeItem } from "~/practice.server";

export function PracticeBlock({ tasks }: { tasks: LessonPracticeItem[] }) {
  if (tasks.length === 0) return null;
  return (
    <section
      id="thuc-hanh"
      className="callout callout--tip lesson__practice"
      aria-labelledby="practice-block-title"
    >
      <h2 id="practice-block-title" className="callout__title">
        Thực hành
      </h2>
      <p>Tập chạm trên màn hình giống điện thoại thật, không sợ bấm nhầm.</p>
      <ul className="plain-list">
        {tasks.map((t) => (
          <li key={t.id}>
            <a href={t.href}>{t.title}</a> <span className="muted">({t.steps} bước)</span>{" "}
            {t.timesDone > 0 ? (
              <span className="badge badge--ok">Đã làm {t.timesDone > 1 ? `${t.timesDone} lần` : ""}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
