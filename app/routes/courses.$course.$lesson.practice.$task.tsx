import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { PracticePhone } from "~/components/practice-phone";
import { assertSameOrigin } from "~/csrf.server";
import { practiceRunSchema, practiceTapSchema } from "~/forms/practice";
import { optionalLearner } from "~/learner.server";
import { getUser } from "~/permissions.server";
import {
  finalPraise,
  isPracticeRecorded,
  judgeTap,
  newPracticeKey,
  openPracticeTask,
  practicePath,
  publicStep,
  recordPracticeCompletion,
  type TaskAccess,
} from "~/practice.server";
import { publicScript } from "~/static-assets.server";
import practiceStyles from "~/styles/practice.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: practiceStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Thực hành: ${data?.task.title ?? ""} – HọcSố` },
];

/**
 * Every tap is a form post the server judges, so the page works without JavaScript; with it, the
 * small public/practice.js makes a tap instant (no page load), without React's 83 KB.
 */
export const handle = { hydrate: false };

function opened(access: TaskAccess, request: Request) {
  if (access.status === "sign-in") {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`);
  }
  if (access.status === "not-found") throw new Response("Không tìm thấy bài thực hành", { status: 404 });
  return access.value;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const learner = await optionalLearner(request, user);
  const { course, lesson, task } = opened(
    await openPracticeTask(
      learner?.role ?? null,
      params.course ?? "",
      params.lesson ?? "",
      params.task ?? "",
    ),
    request,
  );
  const search = new URL(request.url).searchParams;
  const run = practiceRunSchema.parse(Object.fromEntries(search));
  const base = {
    course,
    lesson,
    task: { title: task.title, intro: task.intro },
    restartHref: practicePath(course.id, lesson.id, task.id),
    signedIn: Boolean(learner),
    learnerName: learner?.assistedBy ? learner.name : null,
    practiceScript: publicScript("practice.js"),
  };
  if (search.get("xong") === "1" && run.ma) {
    const recorded = learner
      ? await isPracticeRecorded({ userId: learner.userId, submissionKey: run.ma })
      : false;
    return {
      ...base,
      finished: { done: task.done, praise: finalPraise(task), wrongTaps: run.sai, recorded },
      step: null,
      hidden: null,
    };
  }
  const key = run.ma ?? newPracticeKey();
  const fresh = !run.ma;
  const step = publicStep(task, fresh ? 1 : run.buoc, {
    wrongChoiceId: search.get("chon"),
    previousRight: search.get("dung") === "1",
  });
  if (!step) throw redirect(practicePath(course.id, lesson.id, task.id));
  const wrongTaps = fresh ? 0 : run.sai;
  return {
    ...base,
    finished: null,
    step,
    hidden: { buoc: String(step.number), sai: String(wrongTaps), ma: key },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await getUser(request);
  const learner = await optionalLearner(request, user);
  const { course, lesson, task } = opened(
    await openPracticeTask(
      learner?.role ?? null,
      params.course ?? "",
      params.lesson ?? "",
      params.task ?? "",
    ),
    request,
  );
  const tap = practiceTapSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!tap.success) throw new Response("Yêu cầu không hợp lệ. Hãy mở lại bài thực hành.", { status: 400 });
  const { buoc, sai, ma, chon } = tap.data;
  const path = practicePath(course.id, lesson.id, task.id);
  const result = judgeTap(task, buoc, chon);
  const query = (extra: Record<string, string | number>) =>
    new URLSearchParams(Object.entries(extra).map(([k, v]) => [k, String(v)])).toString();
  switch (result.kind) {
    case "invalid":
      // The task was edited while the learner was on it, or the form was tampered with.
      throw new Response("Bước này không còn như trước. Hãy bắt đầu lại bài thực hành.", { status: 400 });
    case "wrong":
      return redirect(`${path}?${query({ buoc, sai: sai + 1, ma, chon })}`);
    case "next":
      return redirect(`${path}?${query({ buoc: result.step, sai, ma, dung: 1 })}`);
    case "done":
      if (learner) {
        await recordPracticeCompletion({
          userId: learner.userId,
          assistedBy: learner.assistedBy,
          courseId: course.id,
          lessonId: lesson.id,
          taskId: task.id,
          wrongTaps: sai,
          submissionKey: ma,
        });
      }
      return redirect(`${path}?${query({ xong: 1, sai, ma })}`);
  }
}

export default function PracticePage() {
  const data = useLoaderData<typeof loader>();
  const lessonHref = `/courses/${data.course.id}/${data.lesson.id}`;
  return (
    <>
      <section className="practice" aria-labelledby="practice-title">
        <p className="breadcrumb">
          <Link to={lessonHref} reloadDocument>
            ← {data.lesson.title}
          </Link>
        </p>
        <h1 id="practice-title">
          <span className="practice__kicker">Thực hành</span> {data.task.title}
        </h1>
        {data.learnerName ? (
          <p className="notice">Bạn đang thực hành cùng {data.learnerName}. Hãy để họ tự chạm.</p>
        ) : null}
        {data.step ? (
          <>
            <p className="practice__progress">
              Bước {data.step.number}/{data.step.count}
            </p>
            {data.step.number === 1 && !data.step.feedback ? (
              <p className="practice__intro">{data.task.intro}</p>
            ) : null}
            {data.step.praise ? (
              <p className="practice__praise" role="status">
                ✓ Đúng rồi. {data.step.praise}
              </p>
            ) : null}
            {data.step.feedback ? (
              <p className="practice__feedback" role="alert">
                {data.step.feedback}
              </p>
            ) : null}
            <p className="practice__prompt" id="practice-prompt">
              {data.step.prompt}
            </p>
            <PracticePhone
              key={`${data.step.number}-${data.hidden?.sai}`}
              screen={data.step.screen}
              choices={data.step.choices}
              hidden={data.hidden ?? {}}
            />
            <p className="practice__note">
              Đây là màn hình tập, vẽ đơn giản: chạm thử thoải mái. Giao diện thật có thể khác.
            </p>
          </>
        ) : data.finished ? (
          <div className="practice__finished">
            <p className="form-success" role="status">
              ✓ Bạn đã làm xong bài thực hành!
            </p>
            {data.finished.praise ? <p>{data.finished.praise}</p> : null}
            <p>{data.finished.done}</p>
            <p>
              {data.finished.wrongTaps === 0
                ? "Bạn không chạm sai lần nào."
                : `Bạn đã chạm sai ${data.finished.wrongTaps} lần. Không sao, tập nhiều sẽ quen.`}
            </p>
            {data.finished.recorded ? (
              <p className="notice">Đã ghi lần thực hành này vào Việc học của tôi.</p>
            ) : !data.signedIn ? (
              <p className="notice">
                Bạn chưa đăng nhập nên lần thực hành này không được ghi lại.{" "}
                <Link to={`/login?redirectTo=${encodeURIComponent(lessonHref)}`}>Đăng nhập</Link> để được ghi
                nhận.
              </p>
            ) : null}
            <p className="practice__actions">
              <Link to={lessonHref} reloadDocument className="button button--primary">
                Về bài học
              </Link>
              <Link to={data.restartHref} className="button">
                Làm lại từ đầu
              </Link>
            </p>
          </div>
        ) : null}
      </section>
      {/* Outside the section, which the script replaces after each tap. */}
      <script src={data.practiceScript} defer />
    </>
  );
}
