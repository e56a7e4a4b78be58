CREATE TYPE "public"."field_submission_kind" AS ENUM('visit', 'skills', 'resident', 'household', 'followup');--> statement-breakpoint
CREATE TYPE "public"."followup_answer" AS ENUM('still_uses', 'needs_help', 'not_met');--> statement-breakpoint
CREATE TABLE "field_submissions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"kind" "field_submission_kind" NOT NULL,
	"result" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"queued" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_syncs" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"last_synced_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "skill_followups" (
	"id" serial PRIMARY KEY NOT NULL,
	"resident_id" integer NOT NULL,
	"skill" "skill_key" NOT NULL,
	"stage" smallint NOT NULL,
	"skill_recorded_at" timestamp with time zone NOT NULL,
	"answer" "followup_answer" NOT NULL,
	"answered_by" integer,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skill_followups_stage" CHECK ("skill_followups"."stage" in (30, 90))
);
--> statement-breakpoint
ALTER TABLE "field_submissions" ADD CONSTRAINT "field_submissions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_syncs" ADD CONSTRAINT "member_syncs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_followups" ADD CONSTRAINT "skill_followups_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_followups" ADD CONSTRAINT "skill_followups_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "field_submissions_user_idx" ON "field_submissions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "skill_followups_once" ON "skill_followups" USING btree ("resident_id","skill","stage","skill_recorded_at");--> statement-breakpoint
CREATE INDEX "skill_followups_answered_idx" ON "skill_followups" USING btree ("answered_at");