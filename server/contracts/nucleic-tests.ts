// API shapes of server/nucleic-tests (filled in by that feature).
export {};
