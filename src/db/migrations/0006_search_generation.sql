-- Custom SQL migration file, put your code below! ---- The search index's generation (search.repository.ts). It moves inside every transaction that
-- changes what a ranking or a snippet reads: the rows (an item's insert or delete writes its
-- title row, by the triggers of 0004 and the foreign key), and the course or module an item is
-- filed under (the filters). A ranking kept under one generation is therefore exact while the
-- generation holds, whatever else (an item's status, a job) changes meanwhile.
CREATE TABLE `search_generation` (
	`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
	`value` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `search_generation` (`id`, `value`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `search_rows_generation_ai` AFTER INSERT ON `search_rows` BEGIN
	UPDATE `search_generation` SET `value` = `value` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_rows_generation_ad` AFTER DELETE ON `search_rows` BEGIN
	UPDATE `search_generation` SET `value` = `value` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_rows_generation_au` AFTER UPDATE ON `search_rows` BEGIN
	UPDATE `search_generation` SET `value` = `value` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `items_search_generation_au` AFTER UPDATE OF `course_id`, `module_id` ON `items`
WHEN old.`course_id` IS NOT new.`course_id` OR old.`module_id` IS NOT new.`module_id` BEGIN
	UPDATE `search_generation` SET `value` = `value` + 1;
END;
