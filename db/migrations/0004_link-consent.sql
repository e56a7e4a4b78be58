ALTER TABLE "users" ADD COLUMN "resident_link_confirmed_at" timestamp with time zone;--> statement-breakpoint
-- Links made before this release count as confirmed by their owner unless a member made them alone
-- (audit "user.linked_to_resident" via "member"): those accounts get no reset code until the owner relinks.
UPDATE "users" u SET "resident_link_confirmed_at" = coalesce(u."consent_at", u."created_at")
WHERE u."resident_id" IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM "audit_log" a
    WHERE a."action" = 'user.linked_to_resident' AND a."entity" = 'user' AND a."entity_id" = u."id"::text AND a."details"->>'via' = 'member'
  );
