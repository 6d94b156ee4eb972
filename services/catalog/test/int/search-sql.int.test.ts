import { createPostgresEngine } from "../../src/modules/search/postgres.ts";
import { searchBehaviourSuite } from "./search-behaviour.ts";

// The SQL engine: every search one statement (it also answers merchant searches over drafts).
searchBehaviourSuite("sql", createPostgresEngine);
