/**
 * The pieces every learning page shares: where the learner is in the course ("Bài 2/5" and a
 * bar of the lessons complete) and the one primary action that moves them forward. Plain HTML:
 * the lesson and result pages ship no JavaScript.
 */
import { Link } from "~/components/link";

/** "Bài 2/5 · đã xong 1/5 bài" and the bar; a visitor (done: null) sees only the lesson's place. */
export function CourseProgress({
  index,
  count,
  done,
  courseTitle,
}: {
  index?: number;
  count: number;
  done: number | null;
  courseTitle: string;
}) {
  return (
    <div className="course-progress-box">
      <p className="course-progress-box__text">
        {index ? (
          <strong className="course-progress-box__place">
            Bài {index}/{count}
          </strong>
        ) : null}
        {index && done !== null ? " · " : ""}
        {done !== null ? `đã xong ${done}/${count} bài` : ""}
      </p>
      {done !== null ? (
        <progress
          className="course-progress"
          max={count}
          value={done}
          aria-label={`Khoá ${courseTitle}: đã xong ${done} trên ${count} bài`}
        >
          {done}/{count}
        </progress>
      ) : null}
    </div>
  );
}

/**
 * The page's primary action: a full page load (lesson and result pages are plain HTML with no
 * React in the browser, so client-side navigation into them would show a page without its state).
 */
export function PrimaryStep({ to, label }: { to: string; label: string }) {
  return (
    <p className="primary-step">
      <Link className="button button--primary button--block" to={to} reloadDocument>
        {label}
      </Link>
    </p>
  );
}
