-- Order numbers come from a sequence: taking one holds no row lock, so concurrent checkouts of a
-- store no longer queue on one counter row until each commits. Numbers continue from the counter.
CREATE SEQUENCE IF NOT EXISTS order_numbers START WITH 1001;
--> statement-breakpoint
SELECT setval('order_numbers', value, true) FROM order_counters WHERE name = 'order_number';
