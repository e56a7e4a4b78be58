import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as withHeaders, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { CourseProgress, PrimaryStep } from "~/components/learning";
import { ReadAloud } from "~/components/lesson-components";
import { PracticeBlock } from "~/components/practice-block";
import { getLessonFor } from "~/courses/catalog.server";
import { lessonHtml } from "~/courses/lesson-html.server";
import { assertSameOrigin } from "~/csrf.server";
import { asViewer, optionalLearner, requireLearner } from "~/learner.server";
import { getUser } from "~/permissions.server";
import { listLessonPractice } from "~/practice.server";
import { recordRead } from "~/progress.server";
import { readFormData } from "~/request.server";
import { publicScript } from "~/static-assets.server";

/** A lesson is read on a cheap phone over a weak network: plain HTML, no JavaScript bundle. */
export const handle = { hydrate: false, offlineStatus: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.lesson.title ?? "Bài học"} – HọcSố` },
];

function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  return redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const learner = await optionalLearner(request, user);
  const courseId = params.course ?? "";
  const lessonId = params.lesson ?? "";
  // Both read the learner's own rows; the practice list of a lesson not shown is never used.
  const [result, practice] = await Promise.all([
    getLessonFor(learner ? asViewer(learner) : null, courseId, lessonId),
    listLessonPractice({ userId: learner?.userId ?? null, courseId, lessonId }),
  ]);
  if (result.status === "sign-in") throw signInRedirect(request);
  if (result.status === "not-found") throw new Response("Không tìm thấy bài học", { status: 404 });
  // Someone not signed in sees what every such visitor sees: the page may be kept by a shared
  // cache (app/server/page-cache.mjs, or a CDN) for 5 minutes; a signed-in page never is.
  const headers: HeadersInit = user
    ? { "Cache-Control": "private, no-cache" }
    : { "Cache-Control": "public, max-age=300", Vary: "Cookie" };
  // The body is rendered once per lesson version (the same for everyone), the page around it per request.
  const { code, ...lesson } = result.value;
  const page = {
    signedIn: Boolean(user),
    readAloudSrc: publicScript("read-aloud.js"),
    ...lesson,
    bodyHtml: lessonHtml(code),
    practice,
  };
  // data() rather than json(): Remix takes the object as it is instead of encoding it to JSON and
  // decoding it again. This project's route types do not opt into single fetch's types, so the
  // page reads it as the plain object it is.
  return withHeaders(page, { headers }) as unknown as typeof page;
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** A lesson without a quiz is complete when read: "Đã đọc xong" records it and moves on. */
export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const { learner } = await requireLearner(request);
  const form = await readFormData(request);
  const result = await getLessonFor(asViewer(learner), params.course ?? "", params.lesson ?? "");
  if (result.status !== "ok") throw new Response("Không tìm thấy bài học", { status: 404 });
  if (form.get("intent") !== "read") throw new Response("Yêu cầu không hợp lệ", { status: 400 });
  const { course, lesson } = result.value;
  await recordRead({
    userId: learner.userId,
    courseId: course.id,
    lessonId: lesson.id,
    assistedBy: learner.assistedBy,
  });
  const after = await getLessonFor(asViewer(learner), course.id, lesson.id);
  return redirect(
    after.status === "ok" && after.value.place.after
      ? after.value.place.after.to
      : `/courses/${course.id}/${lesson.id}#hoan-thanh`,
  );
}

export default function LessonPage() {
  const data = useLoaderData<typeof loader>();
  const { course, lesson, previous, next, position, place, sections } = data;
  const base = `/courses/${course.id}`;
  const quizTo = `${base}/${lesson.id}/quiz`;
  const redirectTo = encodeURIComponent(lesson.hasQuiz ? quizTo : `${base}/${lesson.id}`);
  return (
    <article className="lesson" aria-labelledby="lesson-title">
      <p className="breadcrumb">
        <Link to="/courses">Khoá học</Link> › <Link to={base}>{course.title}</Link>
      </p>
      <CourseProgress
        index={position.index}
        count={position.count}
        done={data.signedIn ? place.done : null}
        courseTitle={course.title}
      />
      <p className="lesson__position">
        Khoảng {lesson.minutes} phút{lesson.membersOnly ? " · dành cho thành viên Tổ" : ""}
        {place.complete ? " · ✓ đã hoàn thành" : ""}
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
      {sections.length >= 2 ? (
        <nav className="lesson-toc" aria-labelledby="toc-title">
          <h2 id="toc-title" className="lesson-toc__title">
            Bài có {sections.length} mục
          </h2>
          <ol>
            {sections.map((s) => (
              <li key={s.id}>
                <a href={`#${s.id}`}>{s.title}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <ReadAloud targetId="lesson-body" src={data.readAloudSrc} />
      <div
        id="lesson-body"
        className="lesson__body"
        // biome-ignore lint/security/noDangerouslySetInnerHtml: our lesson, rendered by React
        dangerouslySetInnerHTML={{ __html: data.bodyHtml }}
      />
      <PracticeBlock tasks={data.practice} />

      <section id="hoan-thanh" className="lesson__done" aria-labelledby="done-title" tabIndex={-1}>
        <h2 id="done-title">
          {place.complete
            ? "Bạn đã xong bài này"
            : lesson.hasQuiz
              ? "Đọc xong rồi? Làm bài kiểm tra"
              : "Đọc xong rồi?"}
        </h2>
        {place.complete && place.after ? (
          <>
            <p className="form-success" role="status">
              ✓ {lesson.hasQuiz ? "Bạn đã đạt bài kiểm tra của bài này." : "Bạn đã đọc xong bài này."}
            </p>
            <PrimaryStep {...place.after} />
            {lesson.hasQuiz ? (
              <p>
                <Link to={quizTo}>Làm lại bài kiểm tra</Link>
              </p>
            ) : null}
          </>
        ) : lesson.hasQuiz ? (
          <>
            <p>Bài kiểm tra ngắn, làm lại được nhiều lần. Đạt là xong bài này.</p>
            <PrimaryStep to={quizTo} label="Làm bài kiểm tra" />
          </>
        ) : data.signedIn ? (
          <Form method="post" className="lesson__read-form">
            <input type="hidden" name="intent" value="read" />
            <button type="submit" className="button button--primary button--block">
              Đã đọc xong, học tiếp
            </button>
          </Form>
        ) : null}
        {!data.signedIn ? (
          <p className="notice">
            Để lưu bài đã học và nhận giấy chứng nhận, hãy{" "}
            <Link to={`/signup?redirectTo=${redirectTo}`}>tạo tài khoản</Link> hoặc{" "}
            <Link to={`/login?redirectTo=${redirectTo}`}>đăng nhập</Link>.
          </p>
        ) : null}
      </section>

      <nav className="lesson-nav" aria-label="Bài trước, bài sau">
        {previous ? (
          <Link to={`${base}/${previous.id}`} rel="prev" className="lesson-nav__prev" reloadDocument>
            <span className="lesson-nav__label">← Bài trước</span> {previous.title}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`${base}/${next.id}`} rel="next" className="lesson-nav__next" reloadDocument>
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
