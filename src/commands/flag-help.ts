// Help texts that several commands share, so that each says the same, true thing.

/** Where a server command finds who signs in: the one lookup of commands/credentials.ts. */
export const USERNAME_HELP =
  "server user (default: Pattern's, from the config, SURREAL_USER or .env, else root); the password from the same places or a prompt";

export const JSON_EVENTS_HELP = 'one JSON event per line on stdout, then a result';
