-- A pass includes having read the lesson (design.md, "Completion"): a lesson whose quiz was passed
-- but never marked read is complete. Queue its learner, so that the next start-up issues each
-- certificate thereby earned, once, through the certificates module (issueEarnedCertificates);
-- then mark it read at the time of the pass.
INSERT INTO "certificate_checks" ("user_id")
SELECT DISTINCT "user_id" FROM "lesson_progress" WHERE "passed_at" IS NOT NULL AND "read_at" IS NULL
ON CONFLICT DO NOTHING;
--> statement-breakpoint
UPDATE "lesson_progress" SET "read_at" = "passed_at" WHERE "passed_at" IS NOT NULL AND "read_at" IS NULL;
