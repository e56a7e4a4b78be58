import type { Quiz } from "~/courses/content.server";
import { positionField, questionField } from "~/forms/quiz";
import {
  gradeQuiz,
  isCorrect,
  optionOrderFor,
  parseQuizForm,
  publicQuiz,
  reviewAttempt,
} from "~/quizzes.server";

const quiz: Quiz = {
  hash: "hash-v1",
  file: "test.quiz.yaml",
  passMark: 80,
  questions: [
    {
      id: "q1",
      type: "single",
      prompt: "Nên cài VNeID từ đâu?",
      options: [
        { id: "a", text: "Từ đường link trong tin nhắn" },
        { id: "b", text: "Từ App Store hoặc CH Play" },
      ],
      answer: "b",
      explanation: "Chỉ cài từ kho ứng dụng chính thức.",
    },
    {
      id: "q2",
      type: "multiple",
      prompt: "Kẻ gian hay đòi gì?",
      options: [
        { id: "a", text: "Mã OTP" },
        { id: "b", text: "Tên phường" },
        { id: "c", text: "Mật khẩu" },
      ],
      answer: ["a", "c"],
      explanation: "OTP và mật khẩu là chìa khoá tài khoản.",
    },
    {
      id: "q3",
      type: "truefalse",
      prompt: "Công an gọi điện kích hoạt VNeID giúp bạn.",
      answer: false,
      explanation: "Sai.",
    },
    {
      id: "q4",
      type: "order",
      prompt: "Sắp xếp các bước.",
      options: [
        { id: "s1", text: "Nhập OTP" },
        { id: "s2", text: "Nhập số định danh" },
        { id: "s3", text: "Đặt mật khẩu" },
      ],
      answer: ["s2", "s1", "s3"],
      explanation: "Số định danh, OTP, mật khẩu.",
    },
    { id: "q5", type: "truefalse", prompt: "Mã passcode có 6 chữ số.", answer: true, explanation: "Đúng." },
  ],
};
const [single, multiple, falseQ, order, trueQ] = quiz.questions as [
  Quiz["questions"][number],
  Quiz["questions"][number],
  Quiz["questions"][number],
  Quiz["questions"][number],
  Quiz["questions"][number],
];

describe("grading each question type", () => {
  it("single choice is right only with the one correct option", () => {
    expect(isCorrect(single, "b")).toBe(true);
    expect(isCorrect(single, "a")).toBe(false);
    expect(isCorrect(single, undefined)).toBe(false);
  });

  it("multiple choice needs exactly the correct set, in any order", () => {
    expect(isCorrect(multiple, ["c", "a"])).toBe(true);
    expect(isCorrect(multiple, ["a"])).toBe(false);
    expect(isCorrect(multiple, ["a", "b", "c"])).toBe(false);
    expect(isCorrect(multiple, "a")).toBe(false);
  });

  it("true/false compares the boolean", () => {
    expect(isCorrect(falseQ, false)).toBe(true);
    expect(isCorrect(falseQ, true)).toBe(false);
    expect(isCorrect(trueQ, true)).toBe(true);
    expect(isCorrect(trueQ, "true")).toBe(false);
  });

  it("put-in-order needs every step in its place", () => {
    expect(isCorrect(order, ["s2", "s1", "s3"])).toBe(true);
    expect(isCorrect(order, ["s1", "s2", "s3"])).toBe(false);
    expect(isCorrect(order, ["s2", "s1"])).toBe(false);
  });
});

describe("a quiz score", () => {
  const allRight = { q1: "b", q2: ["a", "c"], q3: false, q4: ["s2", "s1", "s3"], q5: true };

  it("passes at exactly the pass mark (4 of 5 = 80%) and fails below it", () => {
    expect(gradeQuiz(quiz, allRight)).toMatchObject({
      correctCount: 5,
      questionCount: 5,
      scorePercent: 100,
      passed: true,
    });
    expect(gradeQuiz(quiz, { ...allRight, q3: true })).toMatchObject({
      correctCount: 4,
      scorePercent: 80,
      passed: true,
    });
    expect(gradeQuiz(quiz, { ...allRight, q3: true, q1: "a" })).toMatchObject({
      correctCount: 3,
      scorePercent: 60,
      passed: false,
    });
  });

  it("uses the quiz's own pass mark when it sets one", () => {
    expect(gradeQuiz({ ...quiz, passMark: 100 }, { ...allRight, q5: false }).passed).toBe(false);
  });

  it("after a pass shows each answer right or wrong, the right answer and its explanation, for the same quiz version only", () => {
    const review = reviewAttempt(quiz, {
      quizHash: "hash-v1",
      answers: { ...allRight, q2: ["a"] },
      passed: true,
      optionOrder: { q2: ["c", "b", "a"] },
    })!;
    expect(review.map((r) => r.correct)).toEqual([true, false, true, true, true]);
    expect(review[1]).toMatchObject({
      given: ["Mã OTP"],
      expected: ["Mật khẩu", "Mã OTP"],
      explanation: "OTP và mật khẩu là chìa khoá tài khoản.",
    });
    // The options as this attempt showed them.
    expect(review[1]!.options!.map((o) => o.text)).toEqual(["Mật khẩu", "Tên phường", "Mã OTP"]);
    expect(review[2]).toMatchObject({ given: ["Sai"] });
    expect(
      reviewAttempt(quiz, {
        quizHash: "an-older-version",
        answers: allRight,
        passed: true,
        optionOrder: null,
      }),
    ).toBeNull();
  });

  it("after a failed attempt says which answers were wrong, with the explanation and the section to reread, but not the right option", () => {
    const taught: Quiz = {
      ...quiz,
      questions: quiz.questions.map((q) => (q.id === "q1" ? { ...q, teaches: "cai-vneid-dung-noi" } : q)),
    };
    const review = reviewAttempt(taught, {
      quizHash: "hash-v1",
      answers: { ...allRight, q1: "a", q3: true, q5: false },
      passed: false,
      optionOrder: null,
    })!;
    expect(review.map((r) => r.correct)).toEqual([false, true, false, true, false]);
    expect(review[0]).toEqual({
      id: "q1",
      type: "single",
      prompt: "Nên cài VNeID từ đâu?",
      correct: false,
      given: ["Từ đường link trong tin nhắn"],
      explanation: "Chỉ cài từ kho ứng dụng chính thức.",
      section: "cai-vneid-dung-noi",
    });
    expect(review[2]).toMatchObject({ section: null });
    const json = JSON.stringify(review);
    expect(json).not.toContain("Từ App Store hoặc CH Play");
    expect(json).not.toMatch(/"expected"|"options"/);
  });
});

describe("what the browser receives", () => {
  it("has prompts and options but no answers or explanations", () => {
    const shown = publicQuiz(quiz, "key-one-rendering");
    const json = JSON.stringify(shown);
    expect(json).not.toContain("answer");
    expect(json).not.toContain("explanation");
    for (const q of quiz.questions) expect(json).not.toContain(q.explanation);
    expect(shown.questions.map((q) => q.prompt)).toEqual(quiz.questions.map((q) => q.prompt));
  });

  it("shuffles options per rendering of the form (the same key, the same order), order steps never in the right order", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `rendering-${i}`);
    for (const key of keys) {
      const first = publicQuiz(quiz, key).questions[3] as { options: { id: string }[] };
      const again = publicQuiz(quiz, key).questions[3] as { options: { id: string }[] };
      expect(first.options.map((o) => o.id)).toEqual(again.options.map((o) => o.id));
      expect(first.options.map((o) => o.id)).not.toEqual(["s2", "s1", "s3"]);
      expect([...first.options.map((o) => o.id)].sort()).toEqual(["s1", "s2", "s3"]);
    }
    const orders = new Set(keys.map((key) => JSON.stringify(optionOrderFor(quiz, key))));
    expect(orders.size).toBeGreaterThan(10);
    expect(new Set(keys.map((key) => optionOrderFor(quiz, key).q1![0])).size).toBe(2);
  });
});

describe("reading a submitted quiz form", () => {
  function form(entries: [string, string][]) {
    const data = new FormData();
    for (const [k, v] of entries) data.append(k, v);
    return data;
  }
  const complete: [string, string][] = [
    [questionField("q1"), "b"],
    [questionField("q2"), "a"],
    [questionField("q2"), "c"],
    [questionField("q3"), "false"],
    [positionField("q4", "s1"), "2"],
    [positionField("q4", "s2"), "1"],
    [positionField("q4", "s3"), "3"],
    [questionField("q5"), "true"],
  ];

  it("turns radio buttons, checkboxes and position boxes into answers", () => {
    const parsed = parseQuizForm(quiz, form(complete));
    expect(parsed).toMatchObject({
      ok: true,
      answers: { q1: "b", q2: ["a", "c"], q3: false, q4: ["s2", "s1", "s3"], q5: true },
    });
  });

  it("asks for every unanswered question and keeps what was chosen", () => {
    const parsed = parseQuizForm(
      quiz,
      form(complete.filter(([k]) => k !== questionField("q1") && k !== questionField("q3"))),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(["q1", "q3"]);
    expect(parsed.values[questionField("q2")]).toEqual(["a", "c"]);
  });

  it("refuses two steps given the same position", () => {
    const entries = complete.map(([k, v]): [string, string] => [
      k,
      k === positionField("q4", "s3") ? "1" : v,
    ]);
    const parsed = parseQuizForm(quiz, form(entries));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.q4).toContain("trùng");
  });
});
