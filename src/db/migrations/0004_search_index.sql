-- Custom SQL migration file, put your code below! --
-- Full-text search (src/db/repositories/search.repository.ts). Drizzle cannot describe an FTS5
-- table, so both tables live here only, outside schema.ts. `search_rows` holds one row per
-- searchable piece of an item (its title, a transcript paragraph, a notes section) and is the
-- external content of `search_index`, which stores only the index: deleting an item's rows is an
-- index lookup on `search_rows`, where a plain FTS5 table would scan every row for its item id.
-- Rows go with their item through the foreign key (a sync's delete, or its course's or module's).
CREATE TABLE `search_rows` (
	`id` integer PRIMARY KEY NOT NULL,
	`item_id` integer NOT NULL,
	`kind` text NOT NULL,
	`start_ms` integer,
	`text` text NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `search_rows_item_kind_idx` ON `search_rows` (`item_id`,`kind`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_index` USING fts5(
	`text`,
	content = 'search_rows',
	content_rowid = 'id',
	tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
-- An external-content index is kept in step by hand: every row written or deleted is told to it.
CREATE TRIGGER `search_rows_ai` AFTER INSERT ON `search_rows` BEGIN
	INSERT INTO `search_index` (rowid, `text`) VALUES (new.`id`, new.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_rows_ad` AFTER DELETE ON `search_rows` BEGIN
	INSERT INTO `search_index` (`search_index`, rowid, `text`) VALUES ('delete', old.`id`, old.`text`);
END;
--> statement-breakpoint
-- Titles follow `items` inside whatever transaction writes them (a sync). U+E000 and U+E001 are
-- the snippet markers (search.service.ts): indexed text never holds them.
CREATE TRIGGER `items_search_title_ai` AFTER INSERT ON `items` BEGIN
	INSERT INTO `search_rows` (`item_id`, `kind`, `start_ms`, `text`)
	VALUES (new.`id`, 'title', NULL, replace(replace(new.`title`, char(57344), ''), char(57345), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `items_search_title_au` AFTER UPDATE OF `title` ON `items` WHEN old.`title` IS NOT new.`title` BEGIN
	DELETE FROM `search_rows` WHERE `item_id` = new.`id` AND `kind` = 'title';
	INSERT INTO `search_rows` (`item_id`, `kind`, `start_ms`, `text`)
	VALUES (new.`id`, 'title', NULL, replace(replace(new.`title`, char(57344), ''), char(57345), ''));
END;
--> statement-breakpoint
INSERT INTO `search_rows` (`item_id`, `kind`, `start_ms`, `text`)
SELECT `id`, 'title', NULL, replace(replace(`title`, char(57344), ''), char(57345), '') FROM `items`;
