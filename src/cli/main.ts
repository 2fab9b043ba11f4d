import { createProgram } from "./program.js";

// `askdb sql … | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

await createProgram().parseAsync(process.argv);
