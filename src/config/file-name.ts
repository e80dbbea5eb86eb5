// The project's configuration file: its own module, so finding the project (config/paths.ts) does not
// load the zod schema (a run without nixotel.json never needs it).
export const CONFIG_FILE = "nixotel.json";
