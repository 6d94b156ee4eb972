CREATE TABLE "cart_ops" (
	"op_id" text PRIMARY KEY NOT NULL,
	"cart_id" text NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
