PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`item_id` integer,
	`payload` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`idempotency_key` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`available_at` integer NOT NULL,
	`lease_expires_at` integer,
	`claim_id` text,
	`cancel_requested` integer DEFAULT false NOT NULL,
	`error_code` text,
	`error_message` text,
	`progress_current` integer,
	`progress_total` integer,
	`progress_message` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_jobs`("id", "kind", "item_id", "payload", "state", "idempotency_key", "attempts", "max_attempts", "available_at", "lease_expires_at", "claim_id", "cancel_requested", "error_code", "error_message", "progress_current", "progress_total", "progress_message", "created_at", "updated_at", "started_at", "finished_at") SELECT "id", "kind", "item_id", "payload", "state", "idempotency_key", "attempts", "max_attempts", "available_at", "lease_expires_at", "claim_id", "cancel_requested", "error_code", "error_message", "progress_current", "progress_total", "progress_message", "created_at", "updated_at", "started_at", "finished_at" FROM `jobs`;--> statement-breakpoint
DROP TABLE `jobs`;--> statement-breakpoint
ALTER TABLE `__new_jobs` RENAME TO `jobs`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_active_idempotency_uq` ON `jobs` (`idempotency_key`) WHERE "jobs"."state" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX `jobs_claim_idx` ON `jobs` (`state`,`available_at`);--> statement-breakpoint
CREATE INDEX `jobs_item_idx` ON `jobs` (`item_id`);