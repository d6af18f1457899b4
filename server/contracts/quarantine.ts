// API shapes of server/quarantine (filled in by that feature).
export {};
