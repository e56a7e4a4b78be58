CREATE TABLE "erased_activity" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"group_id" integer NOT NULL,
	"kind" text NOT NULL,
	"person" text NOT NULL,
	"course_key" text,
	"skill" text,
	"value" boolean,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "erased_activity" ADD CONSTRAINT "erased_activity_group_id_residential_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."residential_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "erased_activity_group_idx" ON "erased_activity" USING btree ("group_id","occurred_at");--> statement-breakpoint
-- The weekly summary changes meaning (net changes and denominators): recompute every ward on its next view.
DELETE FROM "target_group_weeks";--> statement-breakpoint
DELETE FROM "target_refreshes";--> statement-breakpoint
DROP INDEX "target_group_weeks_ward_idx";--> statement-breakpoint
ALTER TABLE "target_group_weeks" DROP CONSTRAINT "target_group_weeks_group_id_target_key_week_start_pk";--> statement-breakpoint
ALTER TABLE "target_group_weeks" ADD COLUMN "period" text DEFAULT 'week' NOT NULL;--> statement-breakpoint
ALTER TABLE "target_group_weeks" ADD COLUMN "denominator" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "target_group_weeks" ADD CONSTRAINT "target_group_weeks_group_id_target_key_period_week_start_pk" PRIMARY KEY("group_id","target_key","period","week_start");--> statement-breakpoint
CREATE INDEX "target_group_weeks_ward_idx" ON "target_group_weeks" USING btree ("ward_id","target_key","period","week_start");
