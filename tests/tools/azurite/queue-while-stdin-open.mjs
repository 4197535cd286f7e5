// Runs Azurite's queue service in this process until standard input closes. A test run starts it with a pipe on
// stdin, so if the test process dies without stopping it (a crash, a killed CI job), the pipe closes and Azurite
// goes with it instead of living on as an orphan. Arguments are Azurite's own (see `npx azurite-queue --help`).
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
await import("azurite/dist/src/queue/main.js");
