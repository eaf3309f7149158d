-- Custom SQL migration file, put your code below! --
-- The change feed behind `GET /events` (src/events/). Jobs may run in another process
-- (`npm run worker`), so changes are recorded in the database, by triggers, inside whatever
-- transaction makes them: a reader sees a change exactly when it sees the write. Each row names
-- what changed, not how: the stream loads the current row, so a trigger does one insert and no
-- lookup (the queue's speed). Outside schema.ts: no code writes it. `entity` is `item`, `job` or
-- `item_removed`, which alone keeps the course and module, its row being gone.
CREATE TABLE `changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_id` integer NOT NULL,
	`course_id` integer,
	`module_id` integer
);
--> statement-breakpoint
-- Bounded: every thousandth change drops those 10,000 or more behind it, one range delete on the
-- primary key, so the last 10,000 (to 10,999) are kept for a client resuming with Last-Event-ID.
CREATE TRIGGER `changes_prune` AFTER INSERT ON `changes` WHEN new.`seq` % 1000 = 0 BEGIN
	DELETE FROM `changes` WHERE `seq` <= new.`seq` - 10000;
END;
--> statement-breakpoint
CREATE TRIGGER `items_changes_ai` AFTER INSERT ON `items` BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('item', new.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `items_changes_ad` AFTER DELETE ON `items` BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`, `course_id`, `module_id`)
	VALUES ('item_removed', old.`id`, old.`course_id`, old.`module_id`);
END;
--> statement-breakpoint
-- Only the fields `GET /items/{id}` shows: a sync rewriting an unchanged item, or a change of
-- `content_version` or `updated_at` alone, adds nothing.
CREATE TRIGGER `items_changes_au` AFTER UPDATE ON `items` WHEN
	old.`status` IS NOT new.`status` OR old.`error_code` IS NOT new.`error_code`
	OR old.`error` IS NOT new.`error` OR old.`title` IS NOT new.`title`
	OR old.`provider` IS NOT new.`provider` OR old.`media_url` IS NOT new.`media_url`
	OR old.`position` IS NOT new.`position` OR old.`module_id` IS NOT new.`module_id`
	OR old.`indent` IS NOT new.`indent` OR old.`type` IS NOT new.`type`
	OR old.`canvas_url` IS NOT new.`canvas_url` OR old.`external_url` IS NOT new.`external_url`
BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('item', new.`id`);
END;
--> statement-breakpoint
-- An item shows its sources and files too (`media_sources`, `artifacts`, the paths): a change to
-- them is a change of the item. When the item itself is deleted, its cascade adds these too; the
-- stream then answers the item's own `item_removed` change.
CREATE TRIGGER `media_sources_changes_ai` AFTER INSERT ON `media_sources` BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('item', new.`item_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `media_sources_changes_ad` AFTER DELETE ON `media_sources` BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('item', old.`item_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `media_sources_changes_au` AFTER UPDATE ON `media_sources` WHEN
	old.`status` IS NOT new.`status` OR old.`error_code` IS NOT new.`error_code`
	OR old.`error` IS NOT new.`error` OR old.`position` IS NOT new.`position`
	OR old.`url` IS NOT new.`url` OR old.`title` IS NOT new.`title`
	OR old.`found_in` IS NOT new.`found_in` OR old.`provider` IS NOT new.`provider`
	OR old.`ref` IS NOT new.`ref`
BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('item', new.`item_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `artifacts_changes_ai` AFTER INSERT ON `artifacts` BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('item', new.`item_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `artifacts_changes_ad` AFTER DELETE ON `artifacts` BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('item', old.`item_id`);
END;
--> statement-breakpoint
-- A replaced file gets a new record time and hash; nothing else of a record changes alone.
CREATE TRIGGER `artifacts_changes_au` AFTER UPDATE ON `artifacts` WHEN
	old.`created_at` IS NOT new.`created_at` OR old.`content_hash` IS NOT new.`content_hash`
	OR old.`path` IS NOT new.`path`
BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('item', new.`item_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `jobs_changes_ai` AFTER INSERT ON `jobs` BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('job', new.`id`);
END;
--> statement-breakpoint
-- `UPDATE OF` leaves heartbeats (`lease_expires_at` only) out before any comparison runs; the
-- WHEN drops writes that set a listed column to the value it had.
CREATE TRIGGER `jobs_changes_au` AFTER UPDATE OF
	`state`, `attempts`, `progress_current`, `progress_total`, `progress_message`, `error_code`, `error_message`
ON `jobs` WHEN
	old.`state` IS NOT new.`state` OR old.`attempts` IS NOT new.`attempts`
	OR old.`progress_current` IS NOT new.`progress_current` OR old.`progress_total` IS NOT new.`progress_total`
	OR old.`progress_message` IS NOT new.`progress_message`
	OR old.`error_code` IS NOT new.`error_code` OR old.`error_message` IS NOT new.`error_message`
BEGIN
	INSERT INTO `changes` (`entity`, `entity_id`) VALUES ('job', new.`id`);
END;
