CREATE TABLE "interactions" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"product_id" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
