DROP INDEX "target_group_weeks_ward_idx";--> statement-breakpoint
CREATE INDEX "target_group_weeks_ward_period_idx" ON "target_group_weeks" USING btree ("ward_id","period","target_key","week_start");