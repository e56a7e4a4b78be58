import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { LessonBody, ReadAloud } from "~/components/lesson-components";
import { getLessonFor } from "~/courses/catalog.server";
import { assertSameOrigin } from "~/csrf.server";
import { asViewer, optionalLearner, requireLearner } from "~/learner.server";
import { getUser } from "~/permissions.server";
import { recordRead } from "~/progress.server";

/** A lesson is read on a cheap phone over a weak network: plain HTML, no JavaScript bundle. */
export const handle = { hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.lesson.title ?? "Bài học"} – HọcSố` }];

function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  return redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const learner = await optionalLearner(request, user);
  const result = await getLessonFor(learner ? asViewer(learner) : null, params.course ?? "", params.lesson ?? "");
  if (result.status === "sign-in") throw signInRedirect(request);
  if (result.status === "not-found") throw new Response("Không tìm thấy bài học", { status: 404 });
  // Someone not signed in sees what every such visitor sees: the page may be kept by a shared
  // cache (app/server/page-cache.mjs, or a CDN) for 5 minutes; a signed-in page never is.
  const headers: HeadersInit = user ? { "Cache-Control": "private, no-cache" } : { "Cache-Control": "public, max-age=300", Vary: "Cookie" };
  // json() rather than data(): this project's route types do not opt into single fetch's types.
  return json({ signedIn: Boolean(user), ...result.value }, { headers });
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const { learner } = await requireLearner(request);
  const form = await request.formData();
  const result = await getLessonFor(asViewer(learner), params.course ?? "", params.lesson ?? "");
  if (result.status !== "ok") throw new Response("Không tìm thấy bài học", { status: 404 });
  if (form.get("intent") !== "read") throw new Response("Yêu cầu không hợp lệ", { status: 400 });
  await recordRead({ userId: learner.userId, courseId: result.value.course.id, lessonId: result.value.lesson.id, assistedBy: learner.assistedBy });
  return redirect(`/courses/${result.value.course.id}/${result.value.lesson.id}#hoan-thanh`);
}

export default function LessonPage() {
  const data = useLoaderData<typeof loader>();
  const { course, lesson, previous, next, position } = data;
  const base = `/courses/${course.id}`;
  return (
    <article className="lesson" aria-labelledby="lesson-title">
      <p className="breadcrumb">
        <Link to="/courses">Khoá học</Link> › <Link to={base}>{course.title}</Link>
      </p>
      <p className="lesson__position">
        Bài {position.index}/{position.count} · khoảng {lesson.minutes} phút{lesson.membersOnly ? " · dành cho thành viên Tổ" : ""}
      </p>
      <h1 id="lesson-title">{lesson.title}</h1>
      <div className="lesson__objectives">
        <h2 className="lesson__objectives-title">Học xong bài này, bạn sẽ:</h2>
        <ul>
          {lesson.objectives.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      </div>
      <ReadAloud targetId="lesson-body" />
      <div id="lesson-body" className="lesson__body">
        <LessonBody code={data.code} />
      </div>

      <section id="hoan-thanh" className="lesson__done" aria-labelledby="done-title">
        <h2 id="done-title">Xong bài này?</h2>
        {!data.signedIn ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`${base}/${lesson.id}`)}`}>Đăng nhập</Link> để đánh dấu đã đọc và làm bài kiểm tra.
          </p>
        ) : data.read ? (
          <p className="form-success" role="status">
            ✓ Bạn đã đọc bài này.
          </p>
        ) : (
          <Form method="post" className="lesson__read-form">
            <input type="hidden" name="intent" value="read" />
            <button type="submit" className="button">
              Đánh dấu đã đọc
            </button>
          </Form>
        )}
        <p>
          <Link className="button button--primary" to={`${base}/${lesson.id}/quiz`}>
            {data.passed ? "Làm lại bài kiểm tra" : "Làm bài kiểm tra"}
          </Link>
          {data.passed ? <span className="badge badge--ok lesson__passed">Đã đạt</span> : null}
        </p>
      </section>

      <nav className="lesson-nav" aria-label="Bài trước, bài sau">
        {previous ? (
          <Link to={`${base}/${previous.id}`} rel="prev" className="lesson-nav__prev">
            <span className="lesson-nav__label">← Bài trước</span> {previous.title}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`${base}/${next.id}`} rel="next" className="lesson-nav__next">
            <span className="lesson-nav__label">Bài sau →</span> {next.title}
          </Link>
        ) : (
          <Link to={base} className="lesson-nav__next">
            <span className="lesson-nav__label">Hết khoá học →</span> Về trang khoá học
          </Link>
        )}
      </nav>
    </article>
  );
}
