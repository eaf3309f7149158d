CREATE TABLE `media_sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`position` integer NOT NULL,
	`provider` text NOT NULL,
	`ref` text NOT NULL,
	`url` text,
	`title` text,
	`found_in` text NOT NULL,
	`details` text NOT NULL,
	`status` text DEFAULT 'found' NOT NULL,
	`error_code` text,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `media_sources_item_ref_uq` ON `media_sources` (`item_id`,`provider`,`ref`);--> statement-breakpoint
CREATE INDEX `media_sources_item_idx` ON `media_sources` (`item_id`,`position`);--> statement-breakpoint
ALTER TABLE `items` ADD `content_version` text;