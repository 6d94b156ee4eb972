import { searchBehaviourSuite } from "./search-behaviour.ts";

// The Postgres engine (the default): full-text search, pg_trgm typo correction, SQL facets.
searchBehaviourSuite("postgres");
