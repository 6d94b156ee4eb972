import { searchBehaviourSuite } from "./search-behaviour.ts";

// The default engine: Postgres text analysis over a per-store in-memory index.
searchBehaviourSuite("postgres");
