/** One problem in an import file: the row (CSV line, JSON array index, NDJSON line) and the field. */
export interface RowError {
  row: number;
  field: string;
  message: string;
}

/** One product as read from a file, before validation. */
export interface Candidate {
  /** Where the product starts: CSV line number, JSON array index or NDJSON line number. */
  row: number;
  /** How many rows of the file it was read from (a CSV product has a row per variant). */
  rows: number;
  value: unknown;
  /** Problems found while reading it (CSV cells that are not numbers, malformed rows): it is invalid. */
  errors: RowError[];
  /** The row and field (CSV column) of a path into `value`, e.g. a zod issue's path. */
  locate(path: readonly PropertyKey[]): { row: number; field: string };
}

/** What a reader yields: a product to validate, or a problem that belongs to no product. */
export type ReadItem = { kind: "product"; candidate: Candidate } | { kind: "error"; error: RowError; rows: number };

export type ImportFormat = "csv" | "json" | "ndjson";

/** The file cannot be read to its end (broken quoting, truncated JSON): nothing of it is imported. */
export class UnreadableFile extends Error {
  constructor(readonly error: RowError) {
    super(error.message);
    this.name = "UnreadableFile";
  }
}
