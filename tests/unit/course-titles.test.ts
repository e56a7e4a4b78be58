/**
 * A course has one title, the one its course.yaml gives: certificates, reports, exports and the
 * office's target settings all read it from the content tree, never from a list of their own.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { getCompletionCatalog, listCoreCourses } from "~/learning-catalog.server";
import { CORE_COURSE_IDS, PROGRAMME_KEY, PROGRAMME_TITLE } from "~/vocabulary";

const root = path.resolve("content/courses");
const yamlTitles = new Map(
  fs
    .readdirSync(root)
    .filter((id) => fs.existsSync(path.join(root, id, "course.yaml")))
    .map(
      (id) =>
        [
          id,
          (parse(fs.readFileSync(path.join(root, id, "course.yaml"), "utf8")) as { title: string }).title,
        ] as const,
    ),
);

describe("course titles", () => {
  it("are the titles of the courses' course.yaml, for every course", async () => {
    const { titleOf } = await getCompletionCatalog();
    expect(yamlTitles.size).toBeGreaterThanOrEqual(3);
    for (const [id, title] of yamlTitles) expect(titleOf(id)).toBe(title);
  });

  it("the office's target a settings list the three core courses in order, with those titles", async () => {
    expect(await listCoreCourses()).toEqual(CORE_COURSE_IDS.map((id) => ({ id, title: yamlTitles.get(id) })));
  });

  it("the programme certificate has one title", async () => {
    expect((await getCompletionCatalog()).titleOf(PROGRAMME_KEY)).toBe(PROGRAMME_TITLE);
  });
});
