CREATE TABLE `artifacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`kind` text NOT NULL,
	`path` text NOT NULL,
	`content_hash` text NOT NULL,
	`source_hash` text,
	`model` text,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `artifacts_item_kind_uq` ON `artifacts` (`item_id`,`kind`);--> statement-breakpoint
CREATE TABLE `courses` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`course_code` text,
	`workflow_state` text,
	`term_name` text,
	`last_synced_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `items` (
	`id` integer PRIMARY KEY NOT NULL,
	`module_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`position` integer NOT NULL,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`indent` integer DEFAULT 0 NOT NULL,
	`canvas_url` text,
	`external_url` text,
	`api_url` text,
	`page_url` text,
	`content_id` integer,
	`canvas_hash` text NOT NULL,
	`provider` text,
	`media_url` text,
	`status` text DEFAULT 'DISCOVERED' NOT NULL,
	`error_code` text,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `items_module_position_idx` ON `items` (`module_id`,`position`);--> statement-breakpoint
CREATE INDEX `items_course_idx` ON `items` (`course_id`);--> statement-breakpoint
CREATE INDEX `items_status_idx` ON `items` (`status`);--> statement-breakpoint
CREATE TABLE `jobs` (
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
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_active_idempotency_uq` ON `jobs` (`idempotency_key`) WHERE "jobs"."state" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX `jobs_claim_idx` ON `jobs` (`state`,`available_at`);--> statement-breakpoint
CREATE INDEX `jobs_item_idx` ON `jobs` (`item_id`);--> statement-breakpoint
CREATE TABLE `modules` (
	`id` integer PRIMARY KEY NOT NULL,
	`course_id` integer NOT NULL,
	`title` text NOT NULL,
	`position` integer NOT NULL,
	`last_synced_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `modules_course_position_idx` ON `modules` (`course_id`,`position`);