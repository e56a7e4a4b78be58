ALTER TABLE "target_refreshes" ADD COLUMN "history_refreshed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "target_refreshes" ADD COLUMN "history_duration_ms" integer;