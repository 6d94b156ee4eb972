CREATE TABLE "cart_event_cursor" (
	"id" integer PRIMARY KEY NOT NULL,
	"epoch" text NOT NULL,
	"last_seq" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
