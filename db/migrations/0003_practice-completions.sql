CREATE TABLE "practice_completions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"course_id" text NOT NULL,
	"lesson_id" text NOT NULL,
	"task_id" text NOT NULL,
	"wrong_taps" smallint NOT NULL,
	"submission_key" text NOT NULL,
	"assisted_by" integer,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "practice_completions_wrong_taps_ck" CHECK ("practice_completions"."wrong_taps" >= 0)
);
--> statement-breakpoint
ALTER TABLE "practice_completions" ADD CONSTRAINT "practice_completions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_completions" ADD CONSTRAINT "practice_completions_assisted_by_users_id_fk" FOREIGN KEY ("assisted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "practice_completions_submission_uq" ON "practice_completions" USING btree ("user_id","submission_key");--> statement-breakpoint
CREATE INDEX "practice_completions_task_idx" ON "practice_completions" USING btree ("course_id","lesson_id","task_id");