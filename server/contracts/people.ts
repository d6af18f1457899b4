// API shapes of server/people (filled in by that feature).
export {};
