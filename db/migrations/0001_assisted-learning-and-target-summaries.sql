CREATE TABLE "target_group_stats" (
	"ward_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"target_key" text NOT NULL,
	"roster_denominator" integer NOT NULL,
	"numerator" integer NOT NULL,
	CONSTRAINT "target_group_stats_group_id_target_key_pk" PRIMARY KEY("group_id","target_key")
);
--> statement-breakpoint
CREATE TABLE "target_group_weeks" (
	"ward_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"target_key" text NOT NULL,
	"week_start" date NOT NULL,
	"reached" integer NOT NULL,
	CONSTRAINT "target_group_weeks_group_id_target_key_week_start_pk" PRIMARY KEY("group_id","target_key","week_start")
);
--> statement-breakpoint
CREATE TABLE "target_refreshes" (
	"ward_id" integer PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "target_settings" (
	"ward_id" integer PRIMARY KEY NOT NULL,
	"target_a_courses" jsonb NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "assisting_user_id" integer;--> statement-breakpoint
ALTER TABLE "target_group_stats" ADD CONSTRAINT "target_group_stats_group_id_residential_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."residential_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_group_weeks" ADD CONSTRAINT "target_group_weeks_group_id_residential_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."residential_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_refreshes" ADD CONSTRAINT "target_refreshes_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_settings" ADD CONSTRAINT "target_settings_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_settings" ADD CONSTRAINT "target_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "target_group_stats_ward_idx" ON "target_group_stats" USING btree ("ward_id");--> statement-breakpoint
CREATE INDEX "target_group_weeks_ward_idx" ON "target_group_weeks" USING btree ("ward_id","target_key","week_start");--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_assisting_user_id_users_id_fk" FOREIGN KEY ("assisting_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;