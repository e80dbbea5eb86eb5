#!/usr/bin/env node
// Thin launcher: the bundled entry point does all the work (built by `npm ci` through `prepare`).
import "../dist/nixotel.js";
