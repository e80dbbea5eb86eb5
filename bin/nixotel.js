#!/usr/bin/env node
// Thin launcher: the compiled entry point does all the work (built by `npm ci` through `prepare`).
import "../dist/index.js";
